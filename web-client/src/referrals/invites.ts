import type { Invite } from '../api/client';

export type InviteStatus = 'active' | 'revoked' | 'expired' | 'used_up';

/** Whether a code still signs people up, and if not why. */
export function inviteStatus(inv: Pick<Invite, 'revoked_at' | 'expires_at' | 'max_uses' | 'uses'>, now: Date): InviteStatus {
  if (inv.revoked_at) return 'revoked';
  if (inv.expires_at && Date.parse(inv.expires_at) <= now.getTime()) return 'expired';
  if (inv.max_uses != null && inv.uses >= inv.max_uses) return 'used_up';
  return 'active';
}

/** The optional limit as typed: null when blank, undefined when not a whole number in 1..100000. */
export function parseMaxUses(raw: string): number | null | undefined {
  const s = raw.trim();
  if (s === '') return null;
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 100_000 ? n : undefined;
}
