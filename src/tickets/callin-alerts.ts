// What the staff channel reads when a unit is called in to a ticket (吹哨) and when its report (报到) is late.
// Like the other staff alerts: the number, category and units, never the citizen's name, phone or words.
import type { TicketEventRow, TicketRow } from './schema.js';

export const CALLIN_ALERT_KINDS = new Set(['called_in', 'callin_late']);

export function callinAlertText(ticket: TicketRow, e: TicketEventRow, category: string, due: string): string {
  const called = e.unit ?? '未指定单位';
  const handler = ticket.unit ?? '承办单位';
  if (e.kind === 'callin_late') return `【报到超时】工单 ${ticket.number}（${category}）：${called}未在时限内报到，承办单位：${handler}，请督促报到。`;
  const why = e.note ? `事由：${e.note}。` : '';
  return `【吹哨报到】工单 ${ticket.number}（${category}）：${handler}吹哨，请${called}于${due}前报到。${why}`;
}
