import { describe, expect, it } from 'vitest';
import { decideAccess, landingPath, rolesForPath, safeNext, type SessionView } from './guard';

const loading: SessionView = { status: 'loading' };
const anonymous: SessionView = { status: 'anonymous' };
const client: SessionView = { status: 'signed_in', role: 'CLIENT', home: '/client' };
const admin: SessionView = { status: 'signed_in', role: 'ADMIN', home: '/admin' };

describe('decideAccess', () => {
  const adminOnly = { kind: 'signed_in', roles: ['ADMIN'] } as const;

  it('waits while the session is being read', () => {
    expect(decideAccess(loading, adminOnly, { pathname: '/admin' })).toEqual({ kind: 'wait' });
  });

  it('sends anonymous people to the login page, remembering where they were going', () => {
    expect(decideAccess(anonymous, adminOnly, { pathname: '/admin/audit', search: '?before_seq=10' })).toEqual({
      kind: 'redirect',
      to: '/login?next=%2Fadmin%2Faudit%3Fbefore_seq%3D10',
    });
    expect(decideAccess(anonymous, { kind: 'signed_in' }, { pathname: '/account' })).toEqual({
      kind: 'redirect',
      to: '/login?next=%2Faccount',
    });
  });

  it('sends people of another role to their own home', () => {
    expect(decideAccess(client, adminOnly, { pathname: '/admin/users' })).toEqual({ kind: 'redirect', to: '/client' });
  });

  it('lets the right role in, and any role into shared pages', () => {
    expect(decideAccess(admin, adminOnly, { pathname: '/admin/users' })).toEqual({ kind: 'allow' });
    expect(decideAccess(client, { kind: 'signed_in' }, { pathname: '/account' })).toEqual({ kind: 'allow' });
  });

  it('sends signed-in people away from login and sign-up', () => {
    expect(decideAccess(client, { kind: 'public_only' }, { pathname: '/login' })).toEqual({ kind: 'redirect', to: '/client' });
    expect(decideAccess(anonymous, { kind: 'public_only' }, { pathname: '/signup' })).toEqual({ kind: 'allow' });
  });

  it('after login, goes where the person was headed if their role may', () => {
    const where = { pathname: '/login', search: '?next=%2Fadmin%2Faudit' };
    expect(decideAccess(admin, { kind: 'public_only' }, where)).toEqual({ kind: 'redirect', to: '/admin/audit' });
    expect(decideAccess(client, { kind: 'public_only' }, where)).toEqual({ kind: 'redirect', to: '/client' });
  });

  it('resolves / to home or to the login page', () => {
    expect(decideAccess(admin, { kind: 'root' }, { pathname: '/' })).toEqual({ kind: 'redirect', to: '/admin' });
    expect(decideAccess(anonymous, { kind: 'root' }, { pathname: '/' })).toEqual({ kind: 'redirect', to: '/login' });
  });
});

describe('rolesForPath', () => {
  it('maps each area to its role', () => {
    expect(rolesForPath('/lawyer')).toEqual(['LAWYER']);
    expect(rolesForPath('/partner/reports')).toEqual(['PARTNER']);
    expect(rolesForPath('/account')).toBe('any');
    expect(rolesForPath('/clientele')).toBeNull();
    expect(rolesForPath('/call/6f1c2f0e-8a4b-4c52-9a59-1b2f3c4d5e6f')).toEqual(['CLIENT', 'LAWYER']);
    expect(rolesForPath('/call/dev/dev-abc')).toBe('any');
  });
});

describe('after login', () => {
  it('follows next only to paths on this site', () => {
    expect(safeNext('/admin/audit?x=1')).toBe('/admin/audit?x=1');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'admin', '/login', '/signup?invite=X', '', null]) {
      expect(safeNext(bad), String(bad)).toBeNull();
    }
  });

  it('lands on next when the role may open it, else on the home from the API', () => {
    expect(landingPath('/admin/audit', 'ADMIN', '/admin')).toBe('/admin/audit');
    expect(landingPath('/account', 'LAWYER', '/lawyer')).toBe('/account');
    expect(landingPath('/admin/audit', 'CLIENT', '/client')).toBe('/client');
    expect(landingPath('//evil.example', 'CLIENT', '/client')).toBe('/client');
    expect(landingPath(null, 'PARTNER', '/partner')).toBe('/partner');
    // The calendar file links to the call page: its parties land there after logging in.
    expect(landingPath('/call/abc', 'LAWYER', '/lawyer')).toBe('/call/abc');
    expect(landingPath('/call/abc', 'ADMIN', '/admin')).toBe('/admin');
    // Development rooms are for anyone signed in.
    expect(landingPath('/call/dev/dev-abc', 'ADMIN', '/admin')).toBe('/call/dev/dev-abc');
    // Stripe's return address survives a detour through the login page.
    expect(landingPath('/client/payments/p1?checkout=success', 'CLIENT', '/client')).toBe('/client/payments/p1?checkout=success');
  });
});
