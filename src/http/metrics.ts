// Prometheus metrics (prom-client). One registry per gateway, so tests can run several in one process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues } from '../queue/queues.js';

export class Metrics {
  readonly registry = new Registry();
  readonly intake = new Counter({
    name: 'jiesu_intake_messages_total',
    help: 'Messages handled by the intake pipeline, by channel and outcome (answered, queued, duplicate, unavailable).',
    labelNames: ['channel', 'outcome', 'kind'] as const,
    registers: [this.registry],
  });
  readonly ticketsCreated = new Counter({
    name: 'jiesu_tickets_created_total',
    help: 'Ticket rows inserted, by channel.',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly intakeSeconds = new Histogram({
    name: 'jiesu_intake_seconds',
    help: 'Time the intake took with a message (the citizen waits this for an answer or acknowledgement), by channel and status (answered, queued, throttled).',
    labelNames: ['channel', 'status'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly ticketLatency = new Histogram({
    name: 'jiesu_ticket_latency_seconds',
    help: 'From the channel receiving a complaint to its ticket row existing.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly outbound = new Counter({
    name: 'jiesu_outbound_total',
    help: 'Outbound deliveries by channel and result (delivered, failed attempt).',
    labelNames: ['channel', 'result'] as const,
    registers: [this.registry],
  });

  constructor(queues?: Queues) {
    collectDefaultMetrics({ register: this.registry, prefix: 'jiesu_' });
    if (queues) {
      const q = queues;
      new Gauge({
        name: 'jiesu_queue_jobs',
        help: 'Jobs in each BullMQ queue by state (collected at scrape time).',
        labelNames: ['queue', 'state'] as const,
        registers: [this.registry],
        async collect() {
          for (const queue of [q.tickets, q.outbound]) {
            try {
              const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
              for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
            } catch {
              // Redis down: the gauge keeps its last values; /readyz says why.
            }
          }
        },
      });
      new Gauge({
        name: 'jiesu_queue_oldest_waiting_seconds',
        help: 'Age of the oldest waiting job in each queue.',
        labelNames: ['queue'] as const,
        registers: [this.registry],
        async collect() {
          for (const queue of [q.tickets, q.outbound]) {
            try {
              const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
              this.set({ queue: queue.name }, oldest ? (Date.now() - oldest.timestamp) / 1000 : 0);
            } catch {
              // see above
            }
          }
        },
      });
    }
  }
}
