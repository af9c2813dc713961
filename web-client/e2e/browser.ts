// Shared set-up for the browser tests: Debian's Chromium through playwright-core (no browser
// download), the server under test from BASE_URL, screenshots into test-results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const BASE_URL = (process.env.TRIBUNA_E2E_BASE_URL ?? '').replace(/\/$/, '');
if (!BASE_URL) {
  throw new Error('BASE_URL is not set: start `tribuna serve` and run BASE_URL=http://localhost:8080 npm run e2e');
}

const RESULTS = new URL('../test-results/', import.meta.url).pathname;
mkdirSync(RESULTS, { recursive: true });

/** A browser; `extraArgs` add Chromium switches (e.g. a network policy). */
export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Headless (playwright's default) with a new empty profile for each launch.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Calls: a synthetic camera (a moving test pattern) and microphone (a beep), granted
      // without a prompt; getDisplayMedia gets a synthetic screen the same way.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // The SFU offers only 127.0.0.1. Chromium leaves loopback out of ICE gathering unless
      // told, which matters on a machine whose only interface is lo; and with real host
      // addresses instead of mDNS names the SFU (mDNS off) can pair with every candidate.
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      // Remote audio plays without a click in every page of the test.
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}

export const PHONE = { width: 390, height: 844 };

/** Refusals the app expects and handles, which the browser still logs as failed loads. */
const EXPECTED_REFUSALS: readonly RegExp[] = [
  /\/api\/lawyer\/(profile|availability)$/, // 404 not_onboarded before a lawyer's first save
  /\/api\/sessions\/[^/]+\/join$/, // 409 not_open_yet before the room opens
  /\/favicon\.ico$/, // the Stripe stand-in's page has no icon
  /\/api\/invites\/[^/]+\/visit$/, // 404 for an invite code that is unknown, revoked or expired
];

export interface PageOptions {
  timezoneId?: string;
  /** Cookies and storage of another context: the same signed-in person on another device. */
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>;
}

export async function newPage(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport,
    baseURL: BASE_URL,
    locale: 'pt-BR',
    timezoneId: options.timezoneId ?? 'America/Sao_Paulo',
    storageState: options.storageState,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error' || /status of 40[13]/.test(m.text())) return;
    if (/status of 40[49]/.test(m.text()) && EXPECTED_REFUSALS.some((r) => r.test(m.location().url))) return;
    problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  (page as Page & { problems: string[] }).problems = problems;
  return { context, page };
}

/** Errors the page logged (a 401 from /api/me when logged out is expected and left out). */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // From the top, so the sticky top bar is not captured halfway down a full-page image.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });
}

/** Opens `path` (with its query, if any) signed out, signs in on the login page it is sent
 *  to, and waits to be back at `path` (where the guard stopped us). */
export async function signInAt(page: Page, path: string, email: string, password: string): Promise<void> {
  await page.goto(path);
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  const back = new URL(path, 'http://tribuna.invalid').pathname;
  await page.waitForURL((u) => u.pathname === back);
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

const csrfTokens = new WeakMap<Page, string>();

/** A JSON request as the page's signed-in person (its cookies, and the CSRF token from the
 *  last login or registration made through here). Throws with the answer on a non-2xx. */
export async function apiCall(page: Page, method: string, path: string, data?: unknown): Promise<any> {
  const token = csrfTokens.get(page);
  const res = await page.request.fetch(path, { method, data, headers: token ? { 'X-CSRF-Token': token } : {} });
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
  const body = res.status() === 204 ? null : await res.json();
  if (body?.csrf_token) csrfTokens.set(page, body.csrf_token);
  return body;
}

/** Runs one SQL statement on the server's database (what a browser test cannot do through
 *  the product, such as moving the clock's effects). The URL's password is never printed. */
export function psql(databaseUrl: string, statement: string): void {
  const url = databaseUrl.split('?')[0]!; // sqlx's URL parameters are not libpq's
  try {
    execFileSync('psql', ['-d', url, '-v', 'ON_ERROR_STOP=1', '-qc', statement], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`psql failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? 'failed'}`);
  }
}

/** For a spec: Chromium is launched before its tests and everything closed after them;
 *  `open()` gives a fresh page in a context of its own (a new person, signed out). */
export function useBrowser(): { open: (viewport?: { width: number; height: number }) => Promise<Page> } {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
  });
  return {
    open: async (viewport) => {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      const opened = await newPage(browser, viewport);
      contexts.push(opened.context);
      return opened.page;
    },
  };
}

/** The number shown in a report's counter card (`<div class="stat"><dt>label</dt><dd>n</dd>`). */
export async function counter(page: Page, label: string): Promise<string> {
  return (await page.locator('.stat', { has: page.getByText(label, { exact: true }) }).locator('dd').textContent())?.trim() ?? '';
}
