// What a person may do with a contract, and how its state reads: pure functions over the
// API's views, mirroring the server's lifecycle (api/src/contracts/lifecycle.rs).
import type { ContractDetail, ContractKind, ContractStatus, ContractVersion, Role } from '../api/client';

export type ContractAction = 'edit' | 'send' | 'newVersion' | 'accept' | 'decline' | 'activate' | 'complete' | 'terminate';

/** The steps `role` may take on `detail` now. Consultation terms follow their session and take
 *  none; admins only read. */
export function actionsFor(detail: ContractDetail, role: Role): ContractAction[] {
  const c = detail.contract;
  if (c.kind === 'consultation_terms' || role === 'ADMIN' || role === 'PARTNER') return [];
  const draft = draftVersion(detail.versions);
  if (role === 'LAWYER') {
    switch (c.status) {
      case 'draft':
        return ['edit', 'send', 'terminate'];
      case 'sent':
        return draft ? ['edit', 'send', 'terminate'] : ['newVersion', 'terminate'];
      case 'accepted':
        return ['activate', 'terminate'];
      case 'active':
        return ['complete', 'terminate'];
      default:
        return [];
    }
  }
  switch (c.status) {
    case 'sent':
      return currentVersion(detail.versions) ? ['accept', 'decline'] : [];
    case 'accepted':
    case 'active':
      return ['terminate'];
    default:
      return [];
  }
}

/** The unsent version, if the lawyer has one. */
export function draftVersion(versions: readonly ContractVersion[]): ContractVersion | undefined {
  return versions.find((v) => !v.sent_at);
}

/** The version a client answers: the newest sent one that nothing superseded. */
export function currentVersion(versions: readonly ContractVersion[]): ContractVersion | undefined {
  return [...versions].reverse().find((v) => v.sent_at && !v.superseded_at);
}

export type Tone = 'ok' | 'info' | 'warn' | 'danger' | 'neutral';

export const STATUS_TONE: Record<ContractStatus, Tone> = {
  draft: 'neutral',
  sent: 'warn',
  accepted: 'info',
  active: 'ok',
  completed: 'neutral',
  declined: 'danger',
  terminated: 'danger',
  expired: 'neutral',
};

/** The placeholders each kind of template may use (as the server checks them). */
export const PLACEHOLDERS: Record<ContractKind, readonly string[]> = {
  consultation_terms: ['client_name', 'client_email', 'lawyer_name', 'lawyer_oab', 'fee', 'consultation_minutes', 'date'],
  fee_agreement: ['client_name', 'client_email', 'lawyer_name', 'lawyer_oab', 'fee', 'consultation_minutes', 'date', 'session_date'],
};

/** Placeholders in `text` that a `kind` template may not use, and whether a `{{` is left open. */
export function checkTemplate(kind: ContractKind, text: string): { unknown: string[]; unclosed: boolean } {
  const known = PLACEHOLDERS[kind];
  const unknown: string[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) return { unknown, unclosed: false };
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) return { unknown, unclosed: true };
    const name = rest.slice(open + 2, close).trim();
    if (!known.includes(name) && !unknown.includes(name)) unknown.push(name);
    rest = rest.slice(close + 2);
  }
}

/** The first and last characters of a SHA-256, for places too narrow for all 64. */
export function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 8)}…${hash.slice(-8)}` : hash;
}
