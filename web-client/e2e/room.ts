// A development room as the browser tests use it: people signed up through the API, joined
// through the device check, and what their call page receives (getStats via the page's
// development hook).
import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newPage, uniqueEmail } from './browser';

export interface InboundStats {
  video: { track: string | null; framesDecoded: number; packetsReceived: number; frameWidth: number | null }[];
  audio: { track: string | null; packetsReceived: number; audioLevel: number | null }[];
  publish: string | null;
  subscribe: string | null;
  routes: { publish: string | null; subscribe: string | null };
  channel: { state: string; messagesSent: number; messagesReceived: number } | null;
  ufrags: { publish: string | null; subscribe: string | null };
}

declare global {
  interface Window {
    /** Installed by the call page in development rooms only. */
    __tribunaCall?: { stats: () => Promise<InboundStats>; restartIce: () => void };
  }
}

const password = 'uma senha longa o bastante';

/** A new person: a signed-in browser context of their own (signed up through the API), kept
 *  in `contexts` to be closed after the tests. */
export async function person(
  browser: Browser,
  contexts: BrowserContext[],
  name: string,
  viewport?: { width: number; height: number },
): Promise<{ page: Page; id: string }> {
  const { context, page } = await newPage(browser, viewport);
  contexts.push(context);
  const res = await context.request.post('/api/auth/register', {
    data: { display_name: name, email: uniqueEmail('call'), password, role: 'CLIENT' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { user: { id: string } };
  return { page, id: body.user.id };
}

/** Opens development room `room`, goes through the device check and joins; `check` runs on
 *  the device check page before joining (a screenshot). */
export async function join(page: Page, room: string, check?: (page: Page) => Promise<void>): Promise<void> {
  await page.goto(`/call/dev/${room}`);
  await page.getByRole('heading', { level: 1, name: 'Sala de teste' }).waitFor();
  await page.getByRole('heading', { name: 'Antes de entrar' }).waitFor();
  // The device check: the room is open, the signaling WebSocket connects, the camera shows.
  await page.getByText('Aberta.').waitFor();
  await page.getByText(/Conectou em \d+ ms\./).waitFor();
  await page.locator('.check-video video').waitFor();
  await page.waitForFunction(() => (document.querySelector('.check-video video') as HTMLVideoElement | null)?.readyState! >= 2);
  expect(await page.getByLabel('Câmera').locator('option').count()).toBeGreaterThan(0);
  // The synthetic microphone beeps: the level meter moves.
  await page.waitForFunction(() => Number(document.querySelector('[role=meter]')?.getAttribute('aria-valuenow')) > 0, undefined, { timeout: 5000 });
  if (check) await check(page);
  await page.getByRole('button', { name: 'Entrar na chamada' }).click();
  await page.getByText('Conectado', { exact: true }).waitFor();
}

export async function stats(page: Page): Promise<InboundStats> {
  return page.evaluate(async () => {
    const hook = window.__tribunaCall;
    if (!hook) throw new Error('no call on this page');
    return hook.stats();
  });
}

/** The inbound video of `from`'s camera (not their screen) on `page`. */
export async function cameraOf(page: Page, from: string): Promise<InboundStats['video']> {
  return (await stats(page)).video.filter((v) => v.track?.startsWith(`${from}/`) && !v.track.includes('/screen-'));
}
