// The job id for an idempotency key (a message id is the id of the job it becomes). Job ids may not contain ':'
// (BullMQ separates Redis key parts with it), but message ids are `${channel}:${platform id}`: percent-encoding
// ':' (and '%' itself) keeps the mapping one-to-one, so the job id is still the idempotency key.
export function jobIdFor(key: string): string {
  return key.replace(/%/g, '%25').replace(/:/g, '%3A');
}
