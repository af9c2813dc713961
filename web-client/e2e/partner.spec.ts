// The partner journey: a partner signs up, creates a client invite and copies its link; a
// visitor opens the link and signs up (attributed); the partner's report shows the click and
// the referred client; an admin finds the invite's creation in the audit log (with an admin).
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { counter, pageProblems, PHONE, screenshot, signInAt, uniqueEmail, useBrowser } from './browser';

const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? '';
const PASSWORD = 'uma senha longa o bastante';

const { open } = useBrowser();

const run = Date.now();
const partnerName = `Parceira ${run}`;
const visitorName = `Visitante ${run}`;
let partner: Page;
let partnerId = '';
let inviteId = '';
let link = '';

async function signUp(page: Page, role: RegExp | null, name: string, email: string) {
  if (role) await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('Nome', { exact: true }).fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Criar conta' }).click();
}


test('a partner signs up, creates a client invite and copies its link', async () => {
  partner = await open();
  await partner.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await partner.goto('/signup');
  await signUp(partner, /^Parceiro/, partnerName, uniqueEmail('partner'));
  await partner.waitForURL((u) => u.pathname === '/partner');
  const sidebar = partner.getByRole('navigation', { name: 'Navegação principal' });
  await sidebar.getByRole('link', { name: /Convites/ }).click();
  await partner.waitForURL((u) => u.pathname === '/partner/invites');
  await partner.getByText('Você ainda não criou convites.').waitFor();

  // A limit that is not a number is caught next to its field.
  await partner.getByLabel(/Limite de cadastros/).fill('0');
  await partner.getByRole('button', { name: 'Criar convite' }).click();
  await partner.getByText('Informe um número inteiro de 1 a 100000.').waitFor();
  await partner.getByLabel(/Limite de cadastros/).fill('');
  await partner.getByRole('radio', { name: 'Clientes' }).check();
  await partner.getByRole('button', { name: 'Criar convite' }).click();
  await partner.getByText('Convite criado.', { exact: false }).waitFor();

  const row = partner.getByRole('table').getByRole('row').nth(1);
  await row.getByText('Ativo').waitFor();
  const linkField = row.getByRole('textbox', { name: /Link do convite/ });
  link = await linkField.inputValue();
  expect(link).toMatch(/\?invite=[A-Za-z0-9_-]+$/);
  await row.getByRole('button', { name: /Copiar o link do convite/ }).click();
  await partner.getByText('Link copiado.').waitFor();
  expect(await partner.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await screenshot(partner, 'partner-invites');

  const ids = await partner.evaluate(async () => {
    const me = (await (await fetch('/api/me')).json()) as { user: { id: string } };
    const invites = (await (await fetch('/api/partner/invites')).json()) as { id: string }[];
    return { me: me.user.id, invite: invites[0]!.id };
  });
  partnerId = ids.me;
  inviteId = ids.invite;
  expect(pageProblems(partner)).toEqual([]);
});

test('a visitor opens the link and signs up, attributed to the partner', async () => {
  expect(link).not.toBe('');
  const visitor = await open();
  await visitor.goto(link);
  await visitor.waitForURL((u) => u.pathname === '/signup' && u.searchParams.has('invite'));
  await visitor.getByText(`Convidado por ${partnerName}`).waitFor();
  // A client invite picks the client account.
  expect(await visitor.getByRole('radio', { name: /^Cliente/ }).isChecked()).toBe(true);
  const stored = await visitor.evaluate(() => localStorage.getItem('tribuna.inviteVisit'));
  expect(JSON.parse(stored ?? '{}')).toMatchObject({ partnerName, kind: 'client' });
  await screenshot(visitor, 'partner-invite-signup');
  await signUp(visitor, null, visitorName, uniqueEmail('referred'));
  await visitor.waitForURL((u) => u.pathname === '/client');
  expect(pageProblems(visitor)).toEqual([]);
});

test("the partner's report shows the click and the referred client", async () => {
  const sidebar = partner.getByRole('navigation', { name: 'Navegação principal' });
  await sidebar.getByRole('link', { name: /Relatórios/ }).click();
  await partner.waitForURL((u) => u.pathname === '/partner/reports');
  await partner.getByRole('heading', { name: 'Indicações do período' }).waitFor();
  expect(await counter(partner, 'Cliques')).toBe('1');
  expect(await counter(partner, 'Cadastros')).toBe('1');
  expect(await counter(partner, 'Clientes indicados')).toBe('1');
  expect(await counter(partner, 'Advogados indicados')).toBe('0');
  await partner.getByRole('list', { name: /Gráfico de barras/ }).waitFor();
  const csv = partner.getByRole('link', { name: 'Baixar CSV' });
  expect(await csv.getAttribute('href')).toMatch(/^\/api\/partner\/reports\?from=.+&to=.+&format=csv$/);
  expect(await csv.getAttribute('download')).toMatch(/^tribuna-relatorios-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const res = await partner.evaluate(async (href) => {
    const r = await fetch(href);
    return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
  }, (await csv.getAttribute('href'))!);
  expect(res.status).toBe(200);
  expect(res.text.split('\n')[0]).toContain('amount_cents');
  await screenshot(partner, 'partner-report');

  // A reversed period is caught by the picker.
  await partner.getByLabel('De', { exact: true }).fill('2026-12-31');
  await partner.getByLabel('Até', { exact: true }).fill('2026-01-01');
  await partner.getByRole('button', { name: 'Mostrar' }).click();
  await partner.getByText('A data inicial deve ser anterior ou igual à final.').waitFor();

  await sidebar.getByRole('link', { name: /Pagamentos/ }).click();
  await partner.waitForURL((u) => u.pathname === '/partner/payouts');
  await partner.getByText('Nenhum repasse neste período.').waitFor();
  expect(pageProblems(partner)).toEqual([]);
});

test('on a phone the invites and the report fit the screen', async () => {
  const phone = await open(PHONE);
  await phone.context().addCookies(await partner.context().cookies());
  await phone.goto('/partner/reports');
  await phone.getByRole('heading', { name: 'Indicações do período' }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(phone, 'partner-report-phone');
  await phone.goto('/partner/invites');
  await phone.getByRole('heading', { name: 'Seus convites' }).waitFor();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await screenshot(phone, 'partner-invites-phone');
  expect(pageProblems(phone)).toEqual([]);
});

test.skipIf(!ADMIN_EMAIL || !ADMIN_PASSWORD)("an admin finds the invite's creation in the audit log", async () => {
  expect(inviteId).not.toBe('');
  const admin = await open();
  await signInAt(admin, `/admin/audit?action=invite.created&actor_id=${partnerId}`, ADMIN_EMAIL, ADMIN_PASSWORD);
  const table = admin.getByRole('table');
  await table.getByText('invite.created').waitFor();
  expect(await table.getByRole('row').count()).toBe(2); // header and the one entry
  await table.getByRole('link', { name: new RegExp(inviteId.slice(0, 8)) }).waitFor();
  await screenshot(admin, 'admin-audit-invite');
  expect(pageProblems(admin)).toEqual([]);
});
