// Errors with a code, so HTTP handlers and workers can tell permanent from passing failures.

/** The message could not be made durable (Redis down): the channel must not acknowledge it. */
export class IntakeUnavailableError extends Error {
  readonly code = 'INTAKE_UNAVAILABLE';
  constructor(message: string, readonly retryAfterSeconds = 5) {
    super(message);
  }
}

/** The message's client (HandleOptions.client) is over its flood limit: the message was not taken. */
export class FloodLimitedError extends Error {
  readonly code = 'FLOOD_LIMITED';
  constructor(readonly retryAfterMs: number) {
    super('over the flood limit');
  }
}

/** A request's signature, token or secret did not verify. Never retried. */
export class VerificationError extends Error {
  readonly code = 'VERIFICATION_FAILED';
}

/** A payload could not be turned into an envelope. Never retried. */
export class NormalizationError extends Error {
  readonly code = 'NORMALIZATION_FAILED';
  /** The field of the platform's payload at fault, when one is. */
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/** A platform API call failed; `platformCode` is the platform's own error code when it sent one. */
export class ChannelApiError extends Error {
  readonly code = 'CHANNEL_API_ERROR';
  constructor(message: string, readonly status?: number, readonly platformCode?: string | number, readonly retryAfterMs?: number) {
    super(message);
  }
}
