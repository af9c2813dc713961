// First-touch attribution of a partner's invite: the first visit with a code is kept in this
// browser (localStorage) for 30 days and sent with the sign-up; a later code does not replace
// it while it is that young. Pure decisions here; the page does the request and the storage.
export const VISIT_KEY = 'tribuna.inviteVisit';
export const VISIT_TTL_DAYS = 30;
const TTL_MS = VISIT_TTL_DAYS * 24 * 3_600_000;

export interface StoredVisit {
  visitId: string;
  code: string;
  partnerName: string;
  kind: string;
  /** When the visit was recorded (ISO 8601). */
  at: string;
}

/** A stored visit read back from storage, or null when absent or not one of ours. */
export function parseStoredVisit(raw: string | null | undefined): StoredVisit | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<StoredVisit>;
    if (
      typeof v.visitId === 'string' &&
      typeof v.code === 'string' &&
      typeof v.partnerName === 'string' &&
      typeof v.kind === 'string' &&
      typeof v.at === 'string' &&
      Number.isFinite(Date.parse(v.at))
    ) {
      return { visitId: v.visitId, code: v.code, partnerName: v.partnerName, kind: v.kind, at: v.at };
    }
  } catch {
    // not JSON
  }
  return null;
}

/** Whether a stored visit still counts: recorded less than 30 days before `now` (and not in the future). */
export function isFresh(visit: StoredVisit | null, now: Date): visit is StoredVisit {
  if (!visit) return false;
  const age = now.getTime() - Date.parse(visit.at);
  return age >= 0 && age < TTL_MS;
}

/** First touch: a new visit is kept only when no fresh one is stored. */
export function shouldStoreVisit(existing: StoredVisit | null, now: Date): boolean {
  return !isFresh(existing, now);
}

/** The visit to send with the sign-up, if any. */
export function visitToSend(stored: StoredVisit | null, now: Date): string | null {
  return isFresh(stored, now) ? stored.visitId : null;
}
