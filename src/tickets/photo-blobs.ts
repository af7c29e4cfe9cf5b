// Where a picture's bytes live when they are not in the `photos` row: an object store the PhotoStore writes
// before the row and deletes with it. Without one (the default) the bytes stay in the ticket database.

export interface PhotoBlobs {
  /** What a row records as its `storage`, so a row keeps being readable after the configuration changes. */
  readonly kind: 's3';
  put(key: string, bytes: Buffer, mime: string): Promise<void>;
  /** The object's bytes, or undefined when there is none under the key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Deletes the objects; a key with no object is not an error. */
  delete(keys: string[]): Promise<void>;
}

/** The storage was unreachable or refused: the caller answers "try again", nothing was stored. */
export class PhotoStorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PhotoStorageError';
  }
}
