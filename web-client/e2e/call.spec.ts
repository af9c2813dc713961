// The call page against the real SFU: people join a development room through the device
// check, receive each other's camera and microphone (measured with getStats, not assumed),
// a third comes and goes without disturbing them, mute, the active speaker and chat (on the
// SFU's data channel) reach the other side, a screen share arrives as its own tile, and a
// dropped signaling connection comes back.
//
// Needs the server with development rooms on (TRIBUNA_SIGNALING_DEV_ROOMS=true, as
// scripts/e2e.sh runs it). The tests share one room and run in order.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { launch, newPage, pageProblems, PHONE, screenshot, signInAt } from './browser';
import { cameraOf, join as joinRoom, person as signUp, stats } from './room';

const run = `${Date.now() % 1_000_000}`;
const room = `dev-e2e-${run}-${Math.floor(Math.random() * 1e6)}`;
const names = { ana: `Ana Souza ${run}`, bruno: `Bruno Lima ${run}`, carla: `Carla Reis ${run}` };

let browser: Browser;
const contexts: BrowserContext[] = [];
let ana: Page;
let bruno: Page;
let brunoId = '';
let anaId = '';
/** Bruno's signaling connection runs through the test, which can cut it like a network would. */
let brunoSignaling: { page: WebSocketRoute; server: WebSocketRoute } | null = null;

/** Frames decoded of `from`'s camera, and packets of their microphone, as `page` receives them. */
async function receivedFrom(page: Page, from: string): Promise<{ frames: number; audioPackets: number }> {
  const video = await cameraOf(page, from);
  const audio = (await stats(page)).audio.filter((a) => a.track?.startsWith(`${from}/`));
  return {
    frames: video.reduce((n, v) => Math.max(n, v.framesDecoded), 0),
    audioPackets: audio.reduce((n, a) => Math.max(n, a.packetsReceived), 0),
  };
}

/** Waits until `page` decodes video and receives audio from `from`; returns how long it took. */
async function waitForMedia(page: Page, from: string, limitMs: number): Promise<number> {
  const started = Date.now();
  let last: unknown = null;
  while (Date.now() - started < limitMs) {
    const r = await receivedFrom(page, from);
    last = { ...r, stats: await stats(page) };
    if (r.frames > 0 && r.audioPackets > 0) return Date.now() - started;
    await page.waitForTimeout(250);
  }
  throw new Error(`no media from ${from} within ${limitMs} ms: ${JSON.stringify(last)}`);
}

const person = (name: string, viewport?: { width: number; height: number }) => signUp(browser, contexts, name, viewport);
const join = (page: Page, shot?: string) => joinRoom(page, room, shot ? (p) => screenshot(p, shot) : undefined);

function tile(page: Page, name: string) {
  return page.locator('figure.tile', { hasText: name });
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

test('two people join a room through the device check and receive each other within 10 s', async () => {
  const a = await person(names.ana);
  const b = await person(names.bruno);
  ana = a.page;
  anaId = a.id;
  bruno = b.page;
  brunoId = b.id;

  await join(ana, 'call-device-check');
  await ana.getByText('Aguardando os outros participantes…').waitFor();
  await screenshot(ana, 'call-alone');

  await bruno.routeWebSocket(/\/ws$/, (ws) => {
    brunoSignaling = { page: ws, server: ws.connectToServer() };
  });
  await join(bruno);
  const started = Date.now();
  // Each page decodes the other's camera and receives the other's microphone, within 10 s.
  await Promise.all([waitForMedia(ana, brunoId, 10_000), waitForMedia(bruno, anaId, 10_000)]);
  expect(Date.now() - started).toBeLessThan(10_000);

  await tile(ana, names.bruno).locator('video').waitFor();
  await tile(bruno, names.ana).locator('video').waitFor();
  await ana.getByText('Pessoas na sala: 2').waitFor();
  await ana.getByText(/^Conexão (boa|instável|ruim)$/).waitFor();
  await screenshot(ana, 'call-two');
  expect(pageProblems(ana)).toEqual([]);
  expect(pageProblems(bruno)).toEqual([]);
});

const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? '';

test.skipIf(!ADMIN_EMAIL || !ADMIN_PASSWORD)('an admin sees the call live: both participants, their packets rising', async () => {
  const { context, page } = await newPage(browser);
  contexts.push(context);
  await signInAt(page, '/admin/calls', ADMIN_EMAIL, ADMIN_PASSWORD);
  const section = page.getByRole('region', { name: `Sala ${room}` }).first();
  await section.waitFor();
  const row = (id: string) => section.locator('tr', { hasText: id });
  await row(anaId).waitFor();
  await row(brunoId).waitFor();
  const sent = async (id: string) => Number((await row(id).getByTestId('packets').innerText()).split('/')[0]?.trim());
  const first = await sent(anaId);
  expect(first).toBeGreaterThan(0);
  // The page refreshes itself: Ana's forwarded packets keep rising.
  await page.waitForFunction(
    ([id, before]) => {
      const rows = Array.from(document.querySelectorAll('tr')).filter((tr) => tr.textContent?.includes(id as string));
      const cell = rows[0]?.querySelector('[data-testid=packets]');
      return Number(cell?.textContent?.split('/')[0]?.trim()) > (before as number);
    },
    [anaId, first] as const,
    { timeout: 15_000 },
  );
  await screenshot(page, 'admin-calls');
  expect(pageProblems(page)).toEqual([]);
});

test('a third joins and leaves; the first two keep receiving each other', async () => {
  const c = await person(names.carla, PHONE);
  await join(c.page, 'call-device-check-phone');
  await waitForMedia(c.page, anaId, 10_000);
  await tile(ana, names.carla).waitFor();
  await tile(bruno, names.carla).waitFor();
  await ana.getByText('Pessoas na sala: 3').waitFor();
  await screenshot(ana, 'call-three');
  await screenshot(c.page, 'call-three-phone');

  // Leaving goes back to the dashboard and takes Carla off the others' screens.
  await c.page.getByRole('button', { name: 'Sair da chamada' }).click();
  await c.page.waitForURL((u) => u.pathname === '/client');
  await tile(ana, names.carla).waitFor({ state: 'detached' });
  await tile(bruno, names.carla).waitFor({ state: 'detached' });
  await ana.getByText('Pessoas na sala: 2').waitFor();
  // Her camera and microphone were stopped.
  expect(await c.page.evaluate(() => document.querySelectorAll('video').length)).toBe(0);
  expect(pageProblems(c.page)).toEqual([]);

  // Ana and Bruno still receive each other: frames keep being decoded.
  const first = await Promise.all([receivedFrom(ana, brunoId), receivedFrom(bruno, anaId)]);
  await ana.waitForTimeout(3000);
  const second = await Promise.all([receivedFrom(ana, brunoId), receivedFrom(bruno, anaId)]);
  expect(second[0].frames).toBeGreaterThan(first[0].frames);
  expect(second[1].frames).toBeGreaterThan(first[1].frames);
  expect(second[0].audioPackets).toBeGreaterThan(first[0].audioPackets);
  expect(second[1].audioPackets).toBeGreaterThan(first[1].audioPackets);
});

test('mute shows on the other page, and a chat message reaches it', async () => {
  const anaOnBruno = tile(bruno, names.ana);
  expect(await anaOnBruno.getByRole('img', { name: 'Microfone desligado' }).count()).toBe(0);
  await ana.getByRole('button', { name: 'Desligar microfone' }).click();
  await ana.getByRole('button', { name: 'Ligar microfone' }).waitFor();
  await anaOnBruno.getByRole('img', { name: 'Microfone desligado' }).waitFor();
  // The server tells both pages who speaks, from the microphones' audio levels: muted, Ana
  // never holds the floor; Bruno's (fake, beeping) microphone does.
  await ana.locator('figure.tile-speaking', { hasText: names.bruno }).waitFor();
  await bruno.locator('figure.tile-speaking.tile-self').waitFor();
  expect(await bruno.locator('figure.tile-speaking', { hasText: names.ana }).count()).toBe(0);

  // Camera off: Bruno sees her initials instead of her picture.
  await ana.getByRole('button', { name: 'Desligar câmera' }).click();
  await anaOnBruno.locator('.tile-avatar').waitFor();
  await screenshot(bruno, 'call-muted-peer');
  await ana.getByRole('button', { name: 'Ligar câmera' }).click();
  await anaOnBruno.locator('video').waitFor();
  await ana.getByRole('button', { name: 'Ligar microfone' }).click();
  await anaOnBruno.getByRole('img', { name: 'Microfone desligado' }).waitFor({ state: 'detached' });

  await ana.getByRole('button', { name: 'Chat', exact: true }).click();
  const text = `Bom dia, doutor ${run}`;
  const before = { ana: (await stats(ana)).channel, bruno: (await stats(bruno)).channel };
  expect(before.ana?.state).toBe('open');
  expect(before.bruno?.state).toBe('open');
  await ana.getByLabel('Mensagem').fill(text);
  await ana.getByLabel('Mensagem').press('Enter');
  await ana.locator('.chat-lines').getByText(text).waitFor();
  // Bruno's chat button counts it; opening the chat shows it with Ana's name.
  await bruno.getByRole('button', { name: 'Chat: 1 mensagens novas' }).click();
  const line = bruno.locator('.chat-line', { hasText: text });
  await line.waitFor();
  expect(await line.locator('.chat-name').innerText()).toBe(names.ana);
  // The message went out and came back on the SFU's data channel, not the WebSocket.
  const after = { ana: (await stats(ana)).channel!, bruno: (await stats(bruno)).channel! };
  expect(after.ana.messagesSent).toBe(before.ana!.messagesSent + 1);
  expect(after.bruno.messagesReceived).toBeGreaterThan(before.bruno!.messagesReceived);
  await screenshot(ana, 'call-chat');
  expect(pageProblems(ana)).toEqual([]);
  expect(pageProblems(bruno)).toEqual([]);
});

test('a screen share starts on the transceiver made at join (no new offer) and arrives as its own tile', async () => {
  await ana.getByRole('button', { name: 'Compartilhar tela' }).click();
  await ana.getByRole('button', { name: 'Parar de compartilhar' }).waitFor();
  const screenTile = bruno.locator('figure.tile-screen', { hasText: `Tela de ${names.ana}` });
  await screenTile.locator('video').waitFor({ timeout: 15_000 });
  const decoded = async () =>
    (await stats(bruno)).video.filter((v) => v.track?.startsWith(`${anaId}/screen-`)).reduce((n, v) => Math.max(n, v.framesDecoded), 0);
  expect(await decoded()).toBeGreaterThan(0);
  await screenshot(bruno, 'call-screen-share');
  // Her camera still arrives alongside.
  const before = await receivedFrom(bruno, anaId);
  await bruno.waitForTimeout(1500);
  expect((await receivedFrom(bruno, anaId)).frames).toBeGreaterThan(before.frames);

  await ana.getByRole('button', { name: 'Parar de compartilhar' }).click();
  await screenTile.waitFor({ state: 'detached', timeout: 10_000 });
  expect(pageProblems(ana)).toEqual([]);
  expect(pageProblems(bruno)).toEqual([]);
});

test('on a phone the call fits the screen', async () => {
  await bruno.setViewportSize(PHONE);
  await bruno.getByRole('button', { name: 'Fechar as mensagens' }).click();
  await tile(bruno, names.ana).locator('video').waitFor();
  const overflow = await bruno.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(bruno, 'call-phone');
  await bruno.getByRole('button', { name: /^Chat/ }).click();
  await screenshot(bruno, 'call-phone-chat');
  // From the keyboard: Escape closes the chat and gives the focus back to its button.
  await bruno.keyboard.press('Escape');
  await bruno.locator('#call-chat').waitFor({ state: 'detached' });
  expect(await bruno.evaluate(() => document.activeElement?.id)).toBe('call-chat-button');
});

test('a dropped signaling connection is resumed: the same peer connections carry on', async () => {
  const before = await receivedFrom(bruno, anaId);
  expect(before.frames).toBeGreaterThan(0);
  // Cut Bruno's signaling connection at both ends, as a network change or a proxy would.
  const cut = brunoSignaling!;
  await cut.page.close({ code: 1011, reason: 'cut by the test' });
  await cut.server.close();
  await bruno.getByText(/A conexão caiu\. Reconectando…/).waitFor();
  await screenshot(bruno, 'call-reconnecting');
  await bruno.getByText('Conectado', { exact: true }).waitFor({ timeout: 20_000 });
  expect(brunoSignaling).not.toBe(cut);
  // A new ticket and a join with resume: the server hands the participant back, so the
  // browser keeps its peer connections — their counters go on from where they were, where
  // new connections would start again from zero.
  const after = await receivedFrom(bruno, anaId);
  expect(after.frames).toBeGreaterThanOrEqual(before.frames);
  await Promise.all([waitForMedia(bruno, anaId, 10_000), waitForMedia(ana, brunoId, 10_000)]);
  const first = await receivedFrom(ana, brunoId);
  await expect.poll(async () => (await receivedFrom(ana, brunoId)).frames, { timeout: 10_000, interval: 250 }).toBeGreaterThan(first.frames);
  await ana.getByText('Pessoas na sala: 2').waitFor();
  expect(pageProblems(ana)).toEqual([]);
  expect(pageProblems(bruno)).toEqual([]);
});

test('a changed network gives the media new paths, and it goes on', async () => {
  /** Frames decoded of `from`'s camera on `page` per stream (by track), to measure progress
   *  from: the new connections' streams start again from zero, the old ones' stats go away. */
  const frames = async (page: Page, from: string) => (await cameraOf(page, from)).map((v) => [v.track, v.framesDecoded] as const);
  const progress = async (page: Page, from: string, before: readonly (readonly [string | null, number])[]) => {
    const base = new Map<string | null, number>();
    for (const [track, n] of before) base.set(track, Math.max(base.get(track) ?? 0, n));
    return Math.max(0, ...(await frames(page, from)).map(([track, n]) => (n < (base.get(track) ?? 0) ? n : n - (base.get(track) ?? 0))));
  };
  const before = (await stats(ana)).ufrags;
  expect(before.publish).not.toBeNull();
  // What the page does on `online` or a `navigator.connection` change. Ana's camera is sent
  // in simulcast layers, which webrtc-rs 0.21 loses on a re-offer: she starts over on new
  // connections rather than restarting ICE on the old ones.
  await ana.evaluate(() => window.__tribunaCall!.restartIce());
  await expect
    .poll(async () => {
      const now = (await stats(ana)).ufrags;
      return now.publish !== null && now.publish !== before.publish && now.subscribe !== before.subscribe;
    }, { timeout: 20_000, interval: 200 })
    .toBe(true);
  await ana.getByText('Conectado', { exact: true }).waitFor();
  // Over the new paths: Bruno decodes Ana's camera again, and she his.
  const from = { bruno: await frames(bruno, anaId), ana: await frames(ana, brunoId) };
  await expect.poll(() => progress(bruno, anaId, from.bruno), { timeout: 15_000, interval: 250 }).toBeGreaterThan(30);
  await expect.poll(() => progress(ana, brunoId, from.ana), { timeout: 15_000, interval: 250 }).toBeGreaterThan(30);
  expect(pageProblems(ana)).toEqual([]);
});

test('joining from another tab replaces this one (4409), which can take the call back', async () => {
  const { context, page: other } = await newPage(browser, undefined, { storageState: await bruno.context().storageState() });
  contexts.push(context);
  await join(other);
  await bruno.getByText('Você entrou nesta chamada em outra aba ou aparelho, e esta aba saiu.').waitFor();
  await screenshot(bruno, 'call-replaced');
  await waitForMedia(other, anaId, 10_000);
  await waitForMedia(ana, brunoId, 10_000);

  await bruno.getByRole('button', { name: 'Entrar por aqui' }).click();
  await bruno.getByText('Conectado', { exact: true }).waitFor();
  await other.getByText('Você entrou nesta chamada em outra aba ou aparelho, e esta aba saiu.').waitFor();
  await Promise.all([waitForMedia(bruno, anaId, 10_000), waitForMedia(ana, brunoId, 10_000)]);
  await ana.getByText('Pessoas na sala: 2').waitFor();
  expect(pageProblems(other)).toEqual([]);
  await context.close();
});

test('in English, and leaving goes back to the dashboard', async () => {
  await ana.getByRole('button', { name: 'Desligar microfone' }).waitFor();
  await ana.evaluate(() => localStorage.setItem('tribuna.locale', 'en'));
  // The language is read at start; a reload would leave the call, so check a new page instead.
  const { context, page } = await newPage(browser, PHONE, { storageState: await ana.context().storageState() });
  contexts.push(context);
  await page.goto(`/call/dev/${room}`);
  await page.getByRole('heading', { level: 1, name: 'Test room' }).waitFor();
  await page.getByText('Open.').waitFor();
  await screenshot(page, 'call-device-check-en-phone');
  await context.close();

  for (const p of [ana, bruno]) {
    await p.getByRole('button', { name: 'Sair da chamada' }).click();
    await p.waitForURL((u) => u.pathname === '/client');
  }
  expect(pageProblems(ana)).toEqual([]);
  expect(pageProblems(bruno)).toEqual([]);
});
