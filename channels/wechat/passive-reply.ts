// The passive reply (被动回复): the XML WeChat shows the citizen when it comes back in the push's HTTP
// response, within the 5-second window. In safe mode the reply is encrypted and signed like a push.
import { randomInt } from 'node:crypto';
import { buildWechatXml } from './wechat-xml.js';
import { wechatSignature } from './signature.js';
import type { WechatMessageCrypto } from './message-crypto.js';

export function passiveTextXml(p: { openId: string; account: string; text: string; now?: Date }): string {
  return buildWechatXml({
    ToUserName: p.openId,
    FromUserName: p.account,
    CreateTime: Math.floor((p.now ?? new Date()).getTime() / 1000),
    MsgType: 'text',
    Content: p.text,
  });
}

export function encryptedReplyXml(p: { plainXml: string; crypto: WechatMessageCrypto; token: string; now?: Date; nonce?: string }): string {
  const encrypted = p.crypto.encrypt(p.plainXml);
  const timestamp = String(Math.floor((p.now ?? new Date()).getTime() / 1000));
  const nonce = p.nonce ?? String(randomInt(1e9, 1e10));
  return buildWechatXml({
    Encrypt: encrypted,
    MsgSignature: wechatSignature([p.token, timestamp, nonce, encrypted]),
    TimeStamp: Number(timestamp),
    Nonce: nonce,
  });
}
