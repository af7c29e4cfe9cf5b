// Citizens' pictures in an S3-compatible bucket (MinIO, Ceph, a cloud provider's), addressed path-style at a
// configured endpoint so a bucket on a private network works without DNS for bucket names.
import { DeleteObjectsCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { PhotoS3Config } from '../config.js';
import { PhotoStorageError, type PhotoBlobs } from '../tickets/photo-blobs.js';

/** DeleteObjects takes at most this many keys per request. */
const DELETE_BATCH = 1000;

export class S3PhotoBlobs implements PhotoBlobs {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly config: PhotoS3Config) {
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: true,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // A citizen waits for the upload: one quick retry, not the SDK's longer default.
      maxAttempts: 2,
      // Checksums only where S3 requires them: several S3-compatible stores refuse the SDK's default trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, bytes: Buffer, mime: string): Promise<void> {
    await this.call('store', () => this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: this.keyOf(key), Body: bytes, ContentType: mime })));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.keyOf(key) }));
      return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : undefined;
    } catch (err) {
      if (err instanceof NoSuchKey || (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)) return undefined;
      throw new PhotoStorageError(`could not read a picture from the photo bucket: ${(err as Error).message}`, { cause: err });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const out = await this.call('delete', () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.config.bucket, Delete: { Objects: batch.map((k) => ({ Key: this.keyOf(k) })), Quiet: true } })),
      );
      // DeleteObjects answers 200 and lists the keys it could not delete.
      if (out.Errors?.length) throw new PhotoStorageError(`the photo bucket kept ${out.Errors.length} picture(s): ${out.Errors[0]!.Code ?? ''} ${out.Errors[0]!.Message ?? ''}`.trim());
    }
  }

  close(): void {
    this.client.destroy();
  }

  private keyOf(key: string): string {
    return `${this.config.prefix}${key}`;
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw new PhotoStorageError(`could not ${what} a picture in the photo bucket: ${(err as Error).message}`, { cause: err });
    }
  }
}
