// A fee agreement in the browser: after a held consultation the lawyer drafts one from a
// template, edits and sends it; the client reads it, ticks and accepts; the lawyer starts it.
//
// Set-up goes through the API (the marketplace spec walks those pages). A browser test cannot
// move the server's clock, so the consultation is marked held directly in the database
// (DATABASE_URL), as the worker does once both parties attended and the end passed.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { apiCall, pageProblems, psql, screenshot, uniqueEmail, useBrowser } from './browser';

const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? '';
const DATABASE_URL = process.env.DATABASE_URL ?? '';
const skip = !ADMIN_EMAIL || !ADMIN_PASSWORD || !DATABASE_URL;
const PASSWORD = 'uma senha longa o bastante';
const run = Date.now() % 1_000_000;
const lawyerName = `Dr. Caio Lemos ${run}`;
const clientName = `Cliente Contrato ${run}`;

const { open } = useBrowser();
let lawyer: Page;
let client: Page;

/** Marks a session held, as the worker would. */
function markHeld(sessionId: string) {
  psql(DATABASE_URL, `UPDATE legal_sessions SET status = 'completed', updated_at = now() WHERE id = '${sessionId}'`);
}

async function signUp(role: string, name: string): Promise<{ page: Page; id: string }> {
  const page = await open();
  const s = await apiCall(page, 'POST', '/api/auth/register', { email: uniqueEmail(role.toLowerCase()), password: PASSWORD, display_name: name, role });
  return { page, id: s.user.id };
}

test.skipIf(skip)('after a held consultation the lawyer sends a fee agreement and the client accepts it', async () => {
  const l = await signUp('LAWYER', lawyerName);
  lawyer = l.page;
  const oab = String(200_000 + (run % 700_000));
  await apiCall(lawyer, 'PUT', '/api/lawyer/profile', {
    oab_number: oab, oab_state: 'RJ', areas: ['labor'], languages: ['pt-BR'], bio: 'Direito do trabalho.',
    fee_cents: 30_000, consultation_minutes: 60, time_zone: 'America/Sao_Paulo',
  });
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  await apiCall(lawyer, 'PUT', '/api/lawyer/availability', {
    weekly: days.map((weekday) => ({ weekday, start: '07:00', end: '22:00' })), min_notice_minutes: 60, booking_window_days: 14,
  });
  const admin = await open();
  await apiCall(admin, 'POST', '/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await apiCall(admin, 'POST', `/api/admin/lawyers/${l.id}/verify`, { reason: 'OAB conferida no CNA' });
  await apiCall(lawyer, 'POST', '/api/lawyer/contract-templates', {
    kind: 'fee_agreement', title: 'Contrato de honorários trabalhistas',
    body: 'CONTRATO DE HONORÁRIOS\n\nContratante: {{client_name}}.\nContratado(a): {{lawyer_name}}, OAB {{lawyer_oab}}.\nObjeto: a reclamação trabalhista discutida na consulta de {{session_date}}.',
  });

  // The client pays (accepting the consultation terms) and books; the consultation is held.
  const c = await signUp('CLIENT', clientName);
  client = c.page;
  const terms = await apiCall(client, 'GET', `/api/lawyers/${l.id}/consultation-terms`);
  const checkout = await apiCall(client, 'POST', '/api/checkout/create-session', { lawyer_id: l.id, terms_sha256: terms.body_sha256 });
  const paid = await client.request.post(`${checkout.checkout_url}/pay`, { form: { outcome: 'paid' }, maxRedirects: 0 });
  expect(paid.status()).toBeLessThan(400);
  const deadline = Date.now() + 10_000;
  while ((await apiCall(client, 'GET', `/api/payments/${checkout.payment_id}`)).status !== 'paid') {
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 100));
  }
  const slots = await apiCall(client, 'GET', `/api/lawyers/${l.id}/slots`);
  const session = await apiCall(client, 'POST', '/api/sessions/schedule', { payment_id: checkout.payment_id, start: slots.slots[0].start, legal_mode: false });
  markHeld(session.id);

  // The lawyer drafts from the template, adds a clause, sends.
  await lawyer.goto('/lawyer/contracts');
  const held = lawyer.getByLabel('Consulta realizada');
  await held.selectOption((await held.locator('option', { hasText: clientName }).getAttribute('value')) ?? '');
  await lawyer.getByRole('button', { name: 'Criar rascunho' }).click();
  await lawyer.waitForURL((u) => /^\/lawyer\/contracts\/[0-9a-f-]{36}$/.test(u.pathname));
  await lawyer.getByText('Rascunho: só você vê este texto até enviá-lo.').waitFor();
  const text = lawyer.getByLabel('Texto');
  expect(await text.inputValue()).toContain(`Contratante: ${clientName}.`);
  await text.fill(`${await text.inputValue()}\nHonorários: 20% do proveito econômico.`);
  await screenshot(lawyer, 'contracts-lawyer-draft');
  await lawyer.getByRole('button', { name: 'Enviar ao cliente' }).click();
  await lawyer.getByText('Versão 1 enviada.').waitFor();
  await lawyer.getByText('Aguardando resposta').first().waitFor();
  const hash = (await lawyer.getByTestId('hash-v1').innerText()).trim();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await lawyer.getByRole('button', { name: 'Criar nova versão' }).waitFor();
  await screenshot(lawyer, 'contracts-lawyer-sent');

  // The client reads it: accepting waits for the box; the hash shown is the same.
  await client.goto('/client/contracts');
  const row = client.getByRole('row', { name: /Contrato de honorários trabalhistas/ });
  await row.getByText('Aguardando resposta').waitFor();
  await row.getByRole('link', { name: 'Contrato de honorários trabalhistas' }).click();
  await client.getByText('Honorários: 20% do proveito econômico.').waitFor();
  expect((await client.getByTestId('hash-v1').innerText()).trim()).toBe(hash);
  const accept = client.getByRole('button', { name: 'Aceitar' });
  expect(await accept.isDisabled()).toBe(true);
  await client.getByRole('checkbox', { name: 'Li a versão 1 e aceito este texto.' }).check();
  await screenshot(client, 'contracts-client-answer');
  await accept.click();
  await client.getByText('Aceito em', { exact: false }).waitFor();
  await client.getByText('Aceito', { exact: true }).waitFor();
  const pdf = await client.request.get((await client.getByRole('link', { name: 'Baixar PDF' }).getAttribute('href')) ?? '');
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  await screenshot(client, 'contracts-client-accepted');

  // The lawyer starts the engagement.
  await lawyer.reload();
  await lawyer.getByRole('button', { name: 'Iniciar vigência' }).click();
  await lawyer.getByRole('dialog').getByRole('button', { name: 'Iniciar vigência' }).click();
  await lawyer.getByText('Em vigor', { exact: true }).waitFor();
  await lawyer.getByRole('button', { name: 'Marcar como concluído' }).waitFor();
  await screenshot(lawyer, 'contracts-lawyer-active');
  expect(pageProblems(lawyer)).toEqual([]);
  expect(pageProblems(client)).toEqual([]);
});
