// Why a ticket change was refused, with a code the HTTP layer maps to a status (404, 409, 400).

export type TicketErrorCode = 'not_found' | 'forbidden_transition' | 'unit_required' | 'same_unit';

const HTTP_STATUS: Record<TicketErrorCode, number> = {
  not_found: 404,
  forbidden_transition: 409,
  same_unit: 409,
  unit_required: 400,
};

/** The request field a 400 is about. */
const FIELD: Partial<Record<TicketErrorCode, string>> = { unit_required: 'unit' };

export class TicketChangeError extends Error {
  constructor(
    readonly code: TicketErrorCode,
    message: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  get field(): string | undefined {
    return FIELD[this.code];
  }
}
