// Who may see which path, as pure functions (the <Guard> component only applies them).
import type { Role } from '../api/client';
import { ROLE_HOME } from '../layout/nav';

export type SessionView =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signed_in'; role: Role; home: string };

export type Rule =
  /** Log-in and sign-up: signed-in people go to their home. */
  | { kind: 'public_only' }
  /** `/`: home when signed in, else the login page. */
  | { kind: 'root' }
  /** Signed in, and with one of `roles` when given. */
  | { kind: 'signed_in'; roles?: readonly Role[] };

export type Decision = { kind: 'wait' } | { kind: 'allow' } | { kind: 'redirect'; to: string };

export interface Where {
  pathname: string;
  search?: string;
}

export const LOGIN_PATH = '/login';

function nextParam(where: Where): string | null {
  return new URLSearchParams(where.search ?? '').get('next');
}

export function loginRedirect(where: Where): string {
  const back = where.pathname + (where.search ?? '');
  return back === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(back)}`;
}

export function decideAccess(session: SessionView, rule: Rule, where: Where): Decision {
  if (session.status === 'loading') return { kind: 'wait' };
  switch (rule.kind) {
    case 'public_only':
      // After a login this is what moves the person on: back to where they were headed.
      if (session.status === 'anonymous') return { kind: 'allow' };
      return { kind: 'redirect', to: landingPath(nextParam(where), session.role, session.home) };
    case 'root':
      return { kind: 'redirect', to: session.status === 'signed_in' ? session.home : LOGIN_PATH };
    case 'signed_in':
      if (session.status === 'anonymous') return { kind: 'redirect', to: loginRedirect(where) };
      if (rule.roles && !rule.roles.includes(session.role)) return { kind: 'redirect', to: session.home };
      return { kind: 'allow' };
  }
}

/** Who may open a session's call page (`/call/{id}`, linked from the calendar file). */
export const CALL_ROLES: readonly Role[] = ['CLIENT', 'LAWYER'];

/** The roles that may open a path: a role's area, any role (`/account`, development rooms),
 *  or null if unknown. */
export function rolesForPath(pathname: string): readonly Role[] | 'any' | null {
  if (pathname.startsWith('/call/dev/')) return 'any';
  if (pathname.startsWith('/call/')) return CALL_ROLES;
  for (const [role, home] of Object.entries(ROLE_HOME) as [Role, string][]) {
    if (pathname === home || pathname.startsWith(`${home}/`)) return [role];
  }
  if (pathname === '/account') return 'any';
  return null;
}

/** A `next` parameter we are willing to follow: a path on this site, not an auth page. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  if (/[\u0000-\u001f]/.test(next)) return null;
  const path = next.split(/[?#]/, 1)[0]!;
  if (path === LOGIN_PATH || path === '/signup') return null;
  return next;
}

/** Where to go after logging in: back where the person was headed if their role may, else home. */
export function landingPath(next: string | null | undefined, role: Role, home: string): string {
  const target = safeNext(next);
  if (!target) return home;
  const roles = rolesForPath(target.split(/[?#]/, 1)[0]!);
  if (roles === 'any' || (roles && roles.includes(role))) return target;
  return home;
}
