// Which hops of X-Forwarded-For are believed (TRUST_PROXY): the one trust function that both express (req.ip,
// req.secure, req.protocol) and the raw POST door use, so the per-IP limits, the login lockout and the
// cookie's Secure flag all see the same client. Compiled as express compiles its own `trust proxy` setting.
import proxyaddr from 'proxy-addr';

export type TrustFunction = (addr: string, hop: number) => boolean;

/** A hop count (0 = trust no proxy) or addresses, CIDRs and proxy-addr's names (loopback …). */
export function compileTrust(setting: number | string | string[]): TrustFunction {
  if (typeof setting === 'number') return (_addr, hop) => hop < setting;
  return proxyaddr.compile(typeof setting === 'string' ? setting.split(',').map((s) => s.trim()) : setting);
}
