import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, isApiError, queryString, type SessionInfo } from './client';

const session: SessionInfo = {
  user: {
    id: '6f1c2f0e-8a4b-4c52-9a59-1b2f3c4d5e6f',
    email: 'ana@example.com',
    display_name: 'Ana',
    role: 'CLIENT',
    status: 'active',
    locale: 'pt-BR',
    created_at: '2025-03-01T12:00:00Z',
  },
  home: '/client',
  csrf_token: 'csrf-abc',
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** A fetch double that answers each call with the next response and records the requests. */
function fakeFetch(...responses: Response[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next;
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

function header(init: RequestInit, name: string): string | undefined {
  return (init.headers as Record<string, string> | undefined)?.[name];
}

describe('CSRF header', () => {
  it('is sent on writes after login, and never on GET', async () => {
    const f = fakeFetch(json(200, session), json(200, session.user), json(200, session.user));
    const client = new ApiClient({ fetch: f.fetch });
    await client.login({ email: 'ana@example.com', password: 'correct horse' });
    await client.user(session.user.id);
    await client.suspendUser('u1', 'spam reports');

    expect(header(f.calls[0]!.init, 'X-CSRF-Token')).toBeUndefined(); // no token before login
    expect(f.calls[1]!.init.method).toBe('GET');
    expect(header(f.calls[1]!.init, 'X-CSRF-Token')).toBeUndefined();
    expect(f.calls[2]!.init.method).toBe('POST');
    expect(header(f.calls[2]!.init, 'X-CSRF-Token')).toBe('csrf-abc');
    expect(f.calls[2]!.init.body).toBe(JSON.stringify({ reason: 'spam reports' }));
    expect(header(f.calls[2]!.init, 'Content-Type')).toBe('application/json');
  });

  it('comes from /api/me on a fresh page, and is dropped on logout', async () => {
    const f = fakeFetch(json(200, session), new Response(null, { status: 204 }), json(401, { error: { code: 'unauthenticated', message: 'log in' } }));
    const client = new ApiClient({ fetch: f.fetch });
    expect(await client.me()).toEqual(session);
    await client.logout();
    expect(header(f.calls[1]!.init, 'X-CSRF-Token')).toBe('csrf-abc');
    await expect(client.restoreUser('u1', 'appeal')).rejects.toBeInstanceOf(ApiError);
    expect(header(f.calls[2]!.init, 'X-CSRF-Token')).toBeUndefined();
  });

  it('sends cookies of the same origin', async () => {
    const f = fakeFetch(json(200, []));
    await new ApiClient({ fetch: f.fetch }).listUsers();
    expect(f.calls[0]!.init.credentials).toBe('same-origin');
  });
});

describe('error mapping', () => {
  it('turns the error body into a typed ApiError', async () => {
    const f = fakeFetch(json(401, { error: { code: 'invalid_credentials', message: 'wrong email or password' } }));
    const client = new ApiClient({ fetch: f.fetch });
    const err = await client.login({ email: 'a@b.co', password: 'x'.repeat(10) }).catch((e: unknown) => e);
    expect(isApiError(err, 'invalid_credentials')).toBe(true);
    expect(err).toMatchObject({ status: 401, code: 'invalid_credentials', message: 'wrong email or password', retryAfterSeconds: null });
  });

  it('reads Retry-After on 429', async () => {
    const f = fakeFetch(json(429, { error: { code: 'too_many_requests', message: 'slow down' } }, { 'Retry-After': '42' }));
    const err = await new ApiClient({ fetch: f.fetch }).login({ email: 'a@b.co', password: 'x'.repeat(10) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: 'too_many_requests', retryAfterSeconds: 42 });
  });

  it('gives a generic code to a body that is not an API error', async () => {
    const f = fakeFetch(new Response('Internal Server Error', { status: 500, statusText: 'Internal Server Error' }), json(404, { nope: true }));
    const client = new ApiClient({ fetch: f.fetch });
    await expect(client.verifyAudit()).rejects.toMatchObject({ status: 500, code: 'server_error' });
    await expect(client.user('x')).rejects.toMatchObject({ status: 404, code: 'http_404' });
  });

  it('reports a network failure as status 0', async () => {
    const fetchFails = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(new ApiClient({ fetch: fetchFails }).verifyAudit()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('me() answers null for 401 and tells the listeners the session is gone on later calls', async () => {
    const gone = () => json(401, { error: { code: 'unauthenticated', message: 'log in' } });
    const f = fakeFetch(gone(), gone());
    const client = new ApiClient({ fetch: f.fetch });
    const listener = vi.fn();
    client.onUnauthenticated(listener);
    expect(await client.me()).toBeNull();
    await expect(client.listAudit()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

describe('query strings', () => {
  it('leave out empty filters and encode the rest', () => {
    expect(queryString({ q: 'ana maria', role: 'LAWYER', status: '', limit: 50, offset: null, x: undefined })).toBe('?q=ana+maria&role=LAWYER&limit=50');
    expect(queryString({})).toBe('');
  });

  it('are sent with list requests', async () => {
    const f = fakeFetch(json(200, []));
    await new ApiClient({ fetch: f.fetch }).listAudit({ action: 'user.suspended', before_seq: 120, limit: 50 });
    expect(f.calls[0]!.url).toBe('/api/admin/audit?action=user.suspended&before_seq=120&limit=50');
  });
});
