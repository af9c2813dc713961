// A network that blocks UDP: a browser whose WebRTC may not send UDP itself (Chromium's
// `disable_non_proxied_udp` policy) still meets the others, through the TURN relay (Debian's
// coturn, started by scripts/e2e.sh) that its join ticket names, reached over TCP with the
// time-limited credentials the API issued. Media is measured, and so is the route it took.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, pageProblems } from './browser';
import { cameraOf, join, person, stats } from './room';

const room = `dev-turn-${Date.now() % 1_000_000}-${Math.floor(Math.random() * 1e6)}`;

let open: Browser;
let blocked: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  open = await launch();
  blocked = await launch(['--webrtc-ip-handling-policy=disable_non_proxied_udp']);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await open?.close();
  await blocked?.close();
});

/** Waits until `page` decodes `from`'s camera and hears their microphone. */
async function receives(page: Page, from: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const camera = await cameraOf(page, from);
        const audio = (await stats(page)).audio.filter((a) => a.track?.startsWith(`${from}/`));
        return camera.some((v) => v.framesDecoded > 0) && audio.some((a) => a.packetsReceived > 0);
      },
      { timeout: 15_000, interval: 250 },
    )
    .toBe(true);
}

test('the join ticket names the TURN relay with credentials that expire with it', async () => {
  const { page } = await person(open, contexts, 'Teste TURN');
  const me = (await (await page.request.get('/api/me')).json()) as { csrf_token: string };
  const res = await page.request.post(`/api/dev/rooms/${room}/join`, { headers: { 'X-CSRF-Token': me.csrf_token } });
  expect(res.status(), await res.text()).toBe(200);
  const ticket = (await res.json()) as { expires_at: string; ice_servers: { urls: string[]; username: string; credential: string }[] };
  expect(ticket.ice_servers, 'scripts/e2e.sh configures a TURN relay').toHaveLength(1);
  const server = ticket.ice_servers[0]!;
  expect(server.urls[0]).toMatch(/^turn:127\.0\.0\.1:\d+\?transport=tcp$/);
  const [expiry] = server.username.split(':');
  expect(Number(expiry)).toBe(Math.floor(Date.parse(ticket.expires_at) / 1000));
  expect(server.credential).toMatch(/^[A-Za-z0-9+/]{27}=$/);
});

test('a browser that may not use UDP meets the others through the TURN relay over TCP', async () => {
  const ana = await person(open, contexts, 'Ana Aberta');
  const bruno = await person(blocked, contexts, 'Bruno Bloqueado');
  await join(ana.page, room);
  await join(bruno.page, room);
  await receives(bruno.page, ana.id);
  await receives(ana.page, bruno.id);
  // Bruno's media went through the relay, which he reached over TCP; Ana's went directly.
  expect((await stats(bruno.page)).routes).toEqual({ publish: 'relay/tcp', subscribe: 'relay/tcp' });
  expect((await stats(ana.page)).routes).toEqual({ publish: 'host/udp', subscribe: 'host/udp' });
  expect(pageProblems(ana.page)).toEqual([]);
  expect(pageProblems(bruno.page)).toEqual([]);
});
