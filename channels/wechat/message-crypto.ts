// Safe mode (安全模式), WeChat's "WXBizMsgCrypt" scheme. The plaintext is
//   16 random bytes ‖ 4-byte big-endian length ‖ message ‖ AppID
// padded with PKCS#7 to a multiple of 32 bytes (not AES's 16: WeChat's own choice, so Node's automatic
// padding is turned off), encrypted with AES-256-CBC, key = base64(EncodingAESKey + '='), iv = key[0..16),
// and base64-encoded. Decryption checks the AppID, so a payload encrypted for another account is refused.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VerificationError } from '../../src/core/errors.js';

const BLOCK = 32;

export class WechatMessageCrypto {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(encodingAesKey: string, private readonly appId: string) {
    this.key = Buffer.from(encodingAesKey + '=', 'base64');
    if (this.key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes (43 base64 characters)');
    this.iv = this.key.subarray(0, 16);
  }

  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const msg = Buffer.from(message, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length, 0);
    const plain = pad(Buffer.concat([random, len, msg, Buffer.from(this.appId, 'utf8')]));
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv).setAutoPadding(false);
    return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
  }

  /** Throws VerificationError for anything that is not a payload encrypted with our key for our AppID. */
  decrypt(encrypted: string): string {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw new VerificationError('Encrypt is not base64');
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % BLOCK !== 0) throw new VerificationError('Encrypt has the wrong length');
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv).setAutoPadding(false);
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch {
      throw new VerificationError('Encrypt does not decrypt');
    }
    plain = unpad(plain);
    if (plain.length < 20) throw new VerificationError('decrypted payload is too short');
    const len = plain.readUInt32BE(16);
    if (20 + len > plain.length) throw new VerificationError('decrypted payload has a bad length');
    const appId = plain.subarray(20 + len).toString('utf8');
    if (appId !== this.appId) throw new VerificationError('payload was encrypted for another AppID');
    return plain.subarray(20, 20 + len).toString('utf8');
  }
}

function pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad(data: Buffer): Buffer {
  const n = data[data.length - 1];
  if (n < 1 || n > BLOCK || n > data.length) throw new VerificationError('decrypted payload has bad padding');
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) throw new VerificationError('decrypted payload has bad padding');
  return data.subarray(0, data.length - n);
}
