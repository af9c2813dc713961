// Legal Mode in the browser: a client and a lawyer meet in a Legal Mode consultation, both
// consent in the call, Chromium's camera and microphone are recorded by the server, the
// lawyer marks a moment; afterwards the client sees the sealed recording's hash and asks for
// a copy, the admin fulfils it by downloading the sealed bundle with a reason, and the bundle
// opens with the vault key (the real `tribuna` binary), plays (ffprobe) and verifies.
//
// A browser test cannot move the server's clock: the booked consultation is moved to now in
// the database (DATABASE_URL). The server runs with a vault public key (VAULT_KEY is its
// secret half, which the server never sees) and the local timestamp authority (TSA_ROOT).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { apiCall, pageProblems, psql, screenshot, uniqueEmail, useBrowser } from './browser';

const env = process.env;
const [ADMIN_EMAIL, ADMIN_PASSWORD, DATABASE_URL] = [env.ADMIN_EMAIL ?? '', env.ADMIN_PASSWORD ?? '', env.DATABASE_URL ?? ''];
const [VAULT_KEY, TSA_ROOT, CLI_BINARY] = [env.VAULT_KEY ?? '', env.TSA_ROOT ?? '', env.CLI_BINARY ?? ''];
const skip = !ADMIN_EMAIL || !ADMIN_PASSWORD || !DATABASE_URL || !VAULT_KEY || !TSA_ROOT || !CLI_BINARY;
const PASSWORD = 'uma senha longa o bastante';
const run = Date.now() % 1_000_000;
const names = { lawyer: `Dra. Helena Prado ${run}`, client: `Marcos Teixeira ${run}` };

const { open } = useBrowser();


async function signUp(role: string, name: string): Promise<{ page: Page; id: string }> {
  const page = await open();
  const s = await apiCall(page, 'POST', '/api/auth/register', { email: uniqueEmail(role.toLowerCase()), password: PASSWORD, display_name: name, role });
  return { page, id: s.user.id };
}

async function joinCall(page: Page, sessionId: string) {
  await page.goto(`/call/${sessionId}`);
  await page.getByRole('heading', { name: 'Antes de entrar' }).waitFor();
  await page.getByRole('button', { name: 'Entrar na chamada' }).click();
  await page.getByText('Conectado', { exact: true }).waitFor();
}

const recordingState = (page: Page) => page.getByTestId('recording-state');

test.skipIf(skip)('a Legal Mode consultation is recorded with consent, sealed, asked for, opened and verified', async () => {
  const l = await signUp('LAWYER', names.lawyer);
  const oab = String(300_000 + (run % 600_000));
  await apiCall(l.page, 'PUT', '/api/lawyer/profile', {
    oab_number: oab, oab_state: 'MG', areas: ['family'], languages: ['pt-BR'], bio: 'Direito de família.',
    fee_cents: 25_000, consultation_minutes: 60, time_zone: 'America/Sao_Paulo',
  });
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  await apiCall(l.page, 'PUT', '/api/lawyer/availability', {
    weekly: days.map((weekday) => ({ weekday, start: '07:00', end: '22:00' })), min_notice_minutes: 60, booking_window_days: 14,
  });
  const admin = await open();
  await apiCall(admin, 'POST', '/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await apiCall(admin, 'POST', `/api/admin/lawyers/${l.id}/verify`, { reason: 'OAB conferida no CNA' });

  const c = await signUp('CLIENT', names.client);
  const terms = await apiCall(c.page, 'GET', `/api/lawyers/${l.id}/consultation-terms`);
  const checkout = await apiCall(c.page, 'POST', '/api/checkout/create-session', { lawyer_id: l.id, terms_sha256: terms.body_sha256 });
  const paid = await c.page.request.post(`${checkout.checkout_url}/pay`, { form: { outcome: 'paid' }, maxRedirects: 0 });
  expect(paid.status()).toBeLessThan(400);
  const deadline = Date.now() + 10_000;
  while ((await apiCall(c.page, 'GET', `/api/payments/${checkout.payment_id}`)).status !== 'paid') {
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 100));
  }
  const slots = await apiCall(c.page, 'GET', `/api/lawyers/${l.id}/slots`);
  const session = await apiCall(c.page, 'POST', '/api/sessions/schedule', { payment_id: checkout.payment_id, start: slots.slots[0].start, legal_mode: true });
  // The consultation starts now (the browser cannot move the server's clock).
  psql(DATABASE_URL, `UPDATE legal_sessions SET during = tstzrange(now() - interval '2 minutes', now() + interval '58 minutes') WHERE id = '${session.id}'`);

  // Both join: nothing records before both consent.
  await joinCall(c.page, session.id);
  await joinCall(l.page, session.id);
  await recordingState(c.page).getByText('Aguardando consentimento (0 de 2)').waitFor();
  await c.page.getByRole('button', { name: 'Consinto com a gravação' }).click();
  await recordingState(l.page).getByText('Aguardando consentimento (1 de 2)').waitFor();
  await screenshot(l.page, 'legal-call-waiting-consent');
  await l.page.getByRole('button', { name: 'Consinto com a gravação' }).click();
  for (const p of [c.page, l.page]) await recordingState(p).getByText('Gravando', { exact: true }).waitFor();
  const recordingSince = Date.now();

  // The lawyer marks a moment; the client sees it with its time into the recording.
  await new Promise((r) => setTimeout(r, 4000));
  await l.page.getByLabel('Descrição do momento (opcional)').fill('Cliente mostra a certidão');
  await l.page.getByRole('button', { name: 'Marcar este momento' }).click();
  const mark = c.page.getByTestId('marks').getByText('Cliente mostra a certidão', { exact: false });
  await mark.waitFor();
  expect(await c.page.getByTestId('marks').innerText()).toMatch(/00:0\d da gravação/);
  await screenshot(c.page, 'legal-call-recording');
  // A 31-second recorded call, then both leave.
  await new Promise((r) => setTimeout(r, Math.max(0, 31_000 - (Date.now() - recordingSince))));
  for (const p of [c.page, l.page]) await p.getByRole('button', { name: 'Sair da chamada' }).click();
  // Leaving lands on the consultation, where the recording's receipt is.
  await c.page.waitForURL((u) => u.pathname === `/client/consultations/${session.id}`);

  // The client's consultation page: the recording, sealed, with its manifest's hash; a copy is asked for.
  await c.page.goto(`/client/consultations/${session.id}`);
  const recording = c.page.getByTestId('recording');
  await recording.getByText(/Lacrada em/).waitFor({ timeout: 30_000 });
  const hash = (await recording.getByTestId('manifest-hash').innerText()).trim();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await recording.getByText('Como conferir uma cópia', { exact: false }).waitFor();
  await recording.getByLabel('Para que precisa da cópia? (opcional)').fill('Juntar ao processo de guarda');
  await recording.getByRole('button', { name: 'Pedir uma cópia' }).click();
  await recording.getByText('Seu pedido de cópia aguarda um administrador.').waitFor();
  await screenshot(c.page, 'legal-client-recording');

  // The admin fulfils it: the download needs a reason, and the bundle is the sealed tar.
  await admin.goto('/admin/recordings');
  const request = admin.getByTestId('recording-requests').getByRole('listitem').filter({ hasText: names.client });
  await request.getByText('Juntar ao processo de guarda', { exact: false }).waitFor();
  await request.getByRole('button', { name: 'Atender (baixar)' }).click();
  await request.getByLabel('Motivo (ofício judicial, pedido da parte…)').fill('Pedido do cliente para o processo de guarda');
  const link = request.getByRole('link', { name: 'Baixar' });
  await screenshot(admin, 'legal-admin-request');
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toContain('reason=');
  const tar = await admin.request.get(href);
  expect(tar.status()).toBe(200);
  const dir = mkdtempSync(join(tmpdir(), 'tribuna-legal-e2e-'));
  writeFileSync(join(dir, 'bundle.tar'), await tar.body());
  await admin.reload();
  await admin.getByText('Nenhum pedido pendente.').waitFor();
  await c.page.reload();
  await c.page.getByTestId('recording').getByText('Seu pedido foi atendido.').waitFor();

  // Opened where the vault key is (no server configuration: a clean environment), it plays
  // and verifies.
  const offline = { PATH: env.PATH ?? '', HOME: env.HOME ?? '' };
  execFileSync(CLI_BINARY, ['vault', 'open', '--key', VAULT_KEY, join(dir, 'bundle.tar'), join(dir, 'opened')], { stdio: 'pipe', env: offline });
  const report = execFileSync(CLI_BINARY, ['verify', join(dir, 'opened'), '--tsa-root', TSA_ROOT], { env: offline }).toString();
  expect(report).toContain('VÁLIDO / VALID');
  const manifestBytes = readFileSync(join(dir, 'opened', 'manifest.json'));
  const { createHash } = await import('node:crypto');
  expect(createHash('sha256').update(manifestBytes).digest('hex')).toBe(hash);
  const manifest = JSON.parse(manifestBytes.toString()) as {
    participants: { identity: string; role: string; oab: string | null }[];
    events: { kind: string; note: string | null }[];
    segments: { participant: string; file: string; start: string; end: string }[];
  };
  expect(manifest.participants.find((p) => p.role === 'lawyer')?.oab).toBe(`${oab}/MG`);
  expect(manifest.events.find((e) => e.kind === 'marker')?.note).toBe('Cliente mostra a certidão');
  for (const who of [c.id, l.id]) {
    const mine = manifest.segments.filter((s) => s.participant === who);
    expect(mine.length).toBeGreaterThan(0);
    let seconds = 0;
    for (const s of mine) {
      const probe = JSON.parse(
        execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', join(dir, 'opened', 'segments', s.file)]).toString(),
      ) as { streams: { codec_type: string }[]; format: { duration: string } };
      expect(probe.streams.map((x) => x.codec_type).sort()).toEqual(['audio', 'video']);
      seconds += Number(probe.format.duration);
    }
    const span = (Date.parse(mine[mine.length - 1]!.end) - Date.parse(mine[0]!.start)) / 1000;
    expect(Math.abs(seconds - span)).toBeLessThanOrEqual(0.5);
    // From the first keyframe after both consents to the leave: about 31 s.
    expect(seconds).toBeGreaterThan(29);
    expect(seconds).toBeLessThan(33);
  }
  expect(pageProblems(c.page)).toEqual([]);
  expect(pageProblems(l.page)).toEqual([]);
}, 120_000);
