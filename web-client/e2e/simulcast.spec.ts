// Simulcast in Chromium: Ana's camera goes out in three sizes; Bruno asks for the small one
// and Carla for the large one, and each decodes the size they asked for (frameWidth from
// getStats), switching when they change their minds.
//
// Needs the server with development rooms on (as scripts/e2e.sh runs it).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, newPage, pageProblems, screenshot, signInAt } from './browser';
import { cameraOf, join, person } from './room';

const run = `${Date.now() % 1_000_000}`;
const room = `dev-simulcast-${run}-${Math.floor(Math.random() * 1e6)}`;
const names = { ana: `Ana Prado ${run}`, bruno: `Bruno Dias ${run}`, carla: `Carla Nunes ${run}` };

const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? '';

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

/** The width of the frames `page` decodes of `from`'s camera now (0 before any). */
async function widthOf(page: Page, from: string): Promise<number> {
  const video = await cameraOf(page, from);
  return video.reduce((w, v) => (v.framesDecoded > 0 && v.frameWidth ? Math.max(w, v.frameWidth) : w), 0);
}

/** Polls until `ok` holds of Bruno's and Carla's widths of Ana's camera; returns them. */
async function widthsUntil(
  pages: { bruno: Page; carla: Page },
  from: string,
  ok: (bruno: number, carla: number) => boolean,
): Promise<{ bruno: number; carla: number }> {
  const started = Date.now();
  let last = { bruno: 0, carla: 0 };
  while (Date.now() - started < 30_000) {
    last = { bruno: await widthOf(pages.bruno, from), carla: await widthOf(pages.carla, from) };
    if (last.bruno > 0 && last.carla > 0 && ok(last.bruno, last.carla)) return last;
    await pages.bruno.waitForTimeout(500);
  }
  throw new Error(`widths never matched: ${JSON.stringify(last)}`);
}

test('a subscriber asking for the low layer decodes a smaller picture than one asking for the high layer', async () => {
  const ana = await person(browser, contexts, names.ana);
  const bruno = await person(browser, contexts, names.bruno);
  const carla = await person(browser, contexts, names.carla);
  for (const p of [ana, bruno, carla]) await join(p.page, room);

  const size = (page: Page) => page.getByLabel(`Tamanho do vídeo de ${names.ana}`);
  await size(bruno.page).selectOption('low');
  await size(carla.page).selectOption('high');
  const first = await widthsUntil({ bruno: bruno.page, carla: carla.page }, ana.id, (b, c) => b < c && b <= 400);
  // The low layer is a quarter of the camera's width (320 of 1280), the high one more.
  expect(first.bruno).toBeLessThan(first.carla);
  await screenshot(carla.page, 'call-simulcast');

  // They change their minds: each gets the other's size, switching on a keyframe.
  await size(bruno.page).selectOption('high');
  await size(carla.page).selectOption('low');
  const second = await widthsUntil({ bruno: bruno.page, carla: carla.page }, ana.id, (b, c) => b > c && c <= 400);
  expect(second.bruno).toBeGreaterThan(second.carla);
  expect(second.carla).toBeLessThanOrEqual(first.bruno);

  // An admin sees which layer each one gets, on the calls page and in /metrics.
  if (ADMIN_EMAIL && ADMIN_PASSWORD) {
    const { context, page } = await newPage(browser);
    contexts.push(context);
    await signInAt(page, '/admin/calls', ADMIN_EMAIL, ADMIN_PASSWORD);
    const section = page.getByRole('region', { name: `Sala ${room}` }).first();
    await section.locator('tr', { hasText: bruno.id }).getByTestId('layers').waitFor();
    await screenshot(page, 'admin-calls-simulcast');
    // Carla asked for low: layer 0. Bruno asked for high: above hers — 2, or 1 while his
    // estimate or Ana's sending (CPU, bandwidth) holds the top layer back, as it may under load.
    const layers = async () => {
      const rooms = (await (await page.request.get('/api/admin/calls')).json()) as {
        room: string;
        participants: { identity: string; subscribed: { track_id: string; layer: number | null }[] }[];
      }[];
      const layerOf = (who: string) =>
        rooms
          .find((r) => r.room === room)
          ?.participants.find((p) => p.identity === who)
          ?.subscribed.find((t) => t.track_id.startsWith(`${ana.id}/`) && t.layer !== null)?.layer ?? null;
      const [b, c] = [layerOf(bruno.id), layerOf(carla.id)];
      return { carla: c, brunoAbove: b !== null && c !== null && b > c };
    };
    await expect.poll(layers, { timeout: 15_000, interval: 500 }).toEqual({ carla: 0, brunoAbove: true });
    const metrics = await (await page.request.get('/metrics')).text();
    expect(metrics).toMatch(new RegExp(`sfu_subscription_layer\\{[^}]*identity="${carla.id}"[^}]*track="${ana.id}/[^"]+"[^}]*\\} 0`));
  }

  console.info(`decoded widths: low ${first.bruno} / high ${first.carla}; after the swap: high ${second.bruno} / low ${second.carla}`);
  for (const p of [ana, bruno, carla]) expect(pageProblems(p.page)).toEqual([]);
}, 120_000);
