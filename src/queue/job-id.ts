// BullMQ job ids may not contain ':' (it separates Redis key parts), but message ids are
// `${channel}:${platform id}`. Percent-encoding ':' (and '%' itself) keeps the mapping one-to-one, so the
// job id is still the idempotency key.
export function jobIdFor(key: string): string {
  return key.replace(/%/g, '%25').replace(/:/g, '%3A');
}
