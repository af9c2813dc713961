// The whole journey in one walk, against the real server and database: a partner invites; a
// lawyer is verified and sets hours; a client signs up through the invite, pays on the checkout
// page and books; both meet in the consultation's call and see each other's video (frames
// decoded by Chromium); after the session the client reviews the lawyer; the partner's report
// shows the referral; the admin reads the audit trail of all of it.
//
// The other specs walk each part's pages in detail; this one chains them. A browser test
// cannot move the server's clock: the booked consultation is moved to now, and then marked
// held, in the database (DATABASE_URL), as the worker does.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { apiCall, counter, pageProblems, psql, screenshot, uniqueEmail, useBrowser } from './browser';

const env = process.env;
const [ADMIN_EMAIL, ADMIN_PASSWORD, DATABASE_URL] = [env.ADMIN_EMAIL ?? '', env.ADMIN_PASSWORD ?? '', env.DATABASE_URL ?? ''];
const skip = !ADMIN_EMAIL || !ADMIN_PASSWORD || !DATABASE_URL;
const PASSWORD = 'uma senha longa o bastante';
const run = Date.now() % 1_000_000;
const names = { partner: `Parceira Jornada ${run}`, lawyer: `Dr. Otávio Reis ${run}`, client: `Beatriz Nunes ${run}` };

const { open } = useBrowser();

/** Frames Chromium decoded of `identity`'s camera tile on `page`. */
async function framesOf(page: Page, identity: string): Promise<number> {
  return page.evaluate((who) => {
    const video = document.querySelector<HTMLVideoElement>(`figure[data-identity="${who}"] video`);
    return video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
  }, identity);
}

test.skipIf(skip)(
  'partner invite → verified lawyer → invited client pays and books → call with video both ways → review → report → audit trail',
  async () => {
    // The partner's invite.
    const partner = await open();
    await apiCall(partner, 'POST', '/api/auth/register', { email: uniqueEmail('partner'), password: PASSWORD, display_name: names.partner, role: 'PARTNER' });
    const invite = await apiCall(partner, 'POST', '/api/partner/invites', { kind: 'client' });

    // The lawyer, verified by the admin, with open hours.
    const lawyer = await open();
    const l = await apiCall(lawyer, 'POST', '/api/auth/register', { email: uniqueEmail('lawyer'), password: PASSWORD, display_name: names.lawyer, role: 'LAWYER' });
    await apiCall(lawyer, 'PUT', '/api/lawyer/profile', {
      oab_number: String(400_000 + (run % 500_000)), oab_state: 'PR', areas: ['consumer'], languages: ['pt-BR'], bio: 'Direito do consumidor.',
      fee_cents: 18_000, consultation_minutes: 60, time_zone: 'America/Sao_Paulo',
    });
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    await apiCall(lawyer, 'PUT', '/api/lawyer/availability', {
      weekly: days.map((weekday) => ({ weekday, start: '07:00', end: '22:00' })), min_notice_minutes: 60, booking_window_days: 14,
    });
    const admin = await open();
    await apiCall(admin, 'POST', '/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    await apiCall(admin, 'POST', `/api/admin/lawyers/${l.user.id}/verify`, { reason: 'OAB conferida no CNA' });

    // The client comes through the invite link and signs up in the browser.
    const client = await open();
    await client.goto(`/register?invite=${invite.code}`);
    await client.getByText(`Convidado por ${names.partner}`).waitFor();
    await client.getByLabel('Nome', { exact: true }).fill(names.client);
    await client.getByLabel('E-mail').fill(uniqueEmail('journey'));
    await client.getByLabel('Senha', { exact: true }).fill(PASSWORD);
    await client.getByRole('button', { name: 'Criar conta' }).click();
    await client.waitForURL((u) => u.pathname === '/client');

    // Pays on the checkout page (the terms ticked, the stand-in's page), and books the first slot.
    await client.goto(`/client/lawyers/${l.user.id}`);
    await client.getByRole('checkbox', { name: 'Li e aceito os termos da consulta' }).check();
    await client.getByRole('button', { name: 'Pagar e agendar' }).click();
    await client.waitForURL((u) => !u.pathname.startsWith('/client/lawyers'));
    await client.getByRole('button', { name: /Pagar com cartão \(aprovado\)/ }).click();
    await client.waitForURL((u) => u.pathname.startsWith('/client/payments/'));
    await client.getByText('Pago', { exact: true }).waitFor();
    await client.getByRole('group', { name: 'Dias com horários livres' }).getByRole('button').first().click();
    await client.getByRole('radio').first().check();
    await client.getByRole('button', { name: 'Agendar' }).click();
    await client.getByText('Consulta agendada para', { exact: false }).waitFor();
    await client.getByRole('link', { name: 'Ver a consulta' }).click();
    await client.waitForURL((u) => /^\/client\/consultations\/[0-9a-f-]{36}$/.test(u.pathname));
    const sessionId = new URL(client.url()).pathname.split('/').pop()!;
    const me = await apiCall(client, 'GET', '/api/me');

    // The consultation starts now: both join and each sees the other's camera.
    psql(DATABASE_URL, `UPDATE legal_sessions SET during = tstzrange(now() - interval '2 minutes', now() + interval '58 minutes') WHERE id = '${sessionId}'`);
    for (const p of [client, lawyer]) {
      await p.goto(`/call/${sessionId}`);
      await p.getByRole('button', { name: 'Entrar na chamada' }).click();
      await p.getByText('Conectado', { exact: true }).waitFor();
    }
    await expect.poll(() => framesOf(client, l.user.id), { timeout: 20_000 }).toBeGreaterThan(10);
    await expect.poll(() => framesOf(lawyer, me.user.id), { timeout: 20_000 }).toBeGreaterThan(10);
    await screenshot(client, 'journey-call');
    for (const p of [client, lawyer]) await p.getByRole('button', { name: 'Sair da chamada' }).click();

    // The session was held; the client reviews the lawyer from the consultation.
    psql(DATABASE_URL, `UPDATE legal_sessions SET status = 'completed', updated_at = now() WHERE id = '${sessionId}'`);
    await client.goto(`/client/consultations/${sessionId}`);
    await client.getByRole('button', { name: 'Avaliar' }).click();
    const dialog = client.getByRole('dialog');
    await dialog.getByRole('radio', { name: '5 estrelas' }).check();
    await dialog.getByLabel('Comentário').fill('Explicou meus direitos com clareza.');
    await dialog.getByRole('button', { name: 'Publicar avaliação' }).click();
    await client.getByRole('button', { name: 'Avaliar' }).waitFor({ state: 'detached' });
    await screenshot(client, 'journey-reviewed');
    const rating = await apiCall(client, 'GET', `/api/lawyers/${l.user.id}/rating`);
    expect(rating.count).toBe(1);

    // The partner's report shows the referred client and the paid consultation.
    await partner.goto('/partner/reports');
    await partner.getByRole('heading', { name: 'Indicações do período' }).waitFor();
    expect(await counter(partner, 'Clientes indicados')).toBe('1');
    await screenshot(partner, 'journey-partner-report');

    // The admin's audit trail has every step, and the chain checks.
    const payments = await apiCall(client, 'GET', '/api/payments');
    const trail: [string, string][] = [
      ['lawyer.verified', `subject_id=${l.user.id}`],
      ['payment.paid', `subject_id=${payments[0].id}`],
      ['review.created', `actor_id=${me.user.id}`],
    ];
    for (const [action, filter] of trail) {
      const entries = await apiCall(admin, 'GET', `/api/admin/audit?action=${action}&${filter}`);
      expect(entries.length, action).toBeGreaterThan(0);
    }
    await admin.goto(`/admin/audit?action=review.created`);
    await admin.getByRole('button', { name: 'Verificar cadeia' }).click();
    await admin.getByText(/Cadeia íntegra/).waitFor();
    await screenshot(admin, 'journey-admin-audit');
    for (const p of [client, lawyer, partner, admin]) expect(pageProblems(p)).toEqual([]);
  },
  180_000,
);
