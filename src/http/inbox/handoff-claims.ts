// Who has a handed-over conversation (认领 / 指派) and when each staff user last read it, in Redis beside the
// handoff desk, ending with it (cleared on release; the same expiry as the desk's entries otherwise).
//
//   <prefix>:handoff:claim:<channel>:<conversationId>   JSON Claim
//   <prefix>:handoff:read:<channel>:<conversationId>    hash user → ISO time of their last read
import type { Redis } from 'ioredis';
import type { ConversationKey } from '../../core/conversation-log.js';

export interface StaffMember {
  user: string;
  role: string;
  unit?: string;
}

export interface Claim extends StaffMember {
  /** ISO time it was claimed or assigned. */
  at: string;
  /** Who assigned it, when it was not claimed by the holder. */
  assignedBy?: string;
}

const TTL_SECONDS = 7 * 24 * 3600;

export class HandoffClaims {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(kind: 'claim' | 'read', c: ConversationKey): string {
    return `${this.prefix}:handoff:${kind}:${c.channel}:${c.conversationId}`;
  }

  async get(c: ConversationKey): Promise<Claim | undefined> {
    const raw = await this.redis.get(this.key('claim', c));
    return raw ? (JSON.parse(raw) as Claim) : undefined;
  }

  /** Claims for `who` unless another user holds it: resolves the claim that holds now, and whether it is theirs. */
  async claim(c: ConversationKey, who: StaffMember, at: Date): Promise<{ ok: boolean; claim: Claim }> {
    const mine: Claim = { user: who.user, role: who.role, ...(who.unit ? { unit: who.unit } : {}), at: at.toISOString() };
    const set = await this.redis.set(this.key('claim', c), JSON.stringify(mine), 'EX', TTL_SECONDS, 'NX');
    if (set) return { ok: true, claim: mine };
    const held = await this.get(c);
    if (!held) return this.claim(c, who, at);
    return { ok: held.user === who.user, claim: held };
  }

  /** Gives the conversation to `to`, whoever held it. */
  async assign(c: ConversationKey, to: StaffMember, by: string, at: Date): Promise<Claim> {
    const claim: Claim = { user: to.user, role: to.role, ...(to.unit ? { unit: to.unit } : {}), at: at.toISOString(), ...(by !== to.user ? { assignedBy: by } : {}) };
    await this.redis.set(this.key('claim', c), JSON.stringify(claim), 'EX', TTL_SECONDS);
    return claim;
  }

  /** For each conversation, who holds it and when the holder last read it: one round trip for the whole list. */
  async holders(cs: ConversationKey[]): Promise<({ claim: Claim; lastRead?: string } | undefined)[]> {
    if (!cs.length) return [];
    const claims = await this.redis.mget(cs.map((c) => this.key('claim', c)));
    const held = claims.map((raw) => (raw ? (JSON.parse(raw) as Claim) : undefined));
    const m = this.redis.pipeline();
    cs.forEach((c, i) => m.hget(this.key('read', c), held[i]?.user ?? ''));
    const reads = (await m.exec()) ?? [];
    return held.map((claim, i) => {
      const read = reads[i]?.[1];
      return claim && { claim, ...(typeof read === 'string' ? { lastRead: read } : {}) };
    });
  }

  async markRead(c: ConversationKey, user: string, at: Date): Promise<void> {
    const k = this.key('read', c);
    await this.redis.multi().hset(k, user, at.toISOString()).expire(k, TTL_SECONDS).exec();
  }


  async clear(c: ConversationKey): Promise<void> {
    await this.redis.del(this.key('claim', c), this.key('read', c));
  }
}
