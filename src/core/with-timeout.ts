// A deadline for calls in the request path: a stalled dependency must turn into an error, not a hung webhook.
export class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
}

/**
 * Settles as `promise` does, or rejects with a TimeoutError after `ms`. Written with one promise and one timer
 * rather than Promise.race against a deadline promise: it runs several times per message, and this allocates
 * less. A late rejection of `promise` is still handled (never an unhandled rejection).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
