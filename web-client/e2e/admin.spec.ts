// Needs an admin: `tribuna admin create --email E --name N`, then
// ADMIN_EMAIL=E ADMIN_PASSWORD=P BASE_URL=... npm run e2e. Skipped without them.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { BASE_URL, launch, newPage, pageProblems, screenshot, signInAt, uniqueEmail } from './browser';

const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? '';

let browser: Browser;
beforeAll(async () => {
  if (ADMIN_EMAIL) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test.skipIf(!ADMIN_EMAIL || !ADMIN_PASSWORD)('an admin suspends and restores a user, then checks the audit chain', async () => {
  // A client to act on, made through the API.
  const run = Date.now();
  const name = `Pessoa ${run}`;
  const reason = `Teste automatizado de suspensão ${run}`;
  const email = uniqueEmail('subject');
  const res = await fetch(`${BASE_URL}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'uma senha longa o bastante', display_name: name, role: 'CLIENT' }),
  });
  expect(res.status).toBe(201);

  const { context, page } = await newPage(browser);
  try {
    await signInAt(page, '/admin/users', ADMIN_EMAIL, ADMIN_PASSWORD);
    const sidebar = page.getByRole('navigation', { name: 'Navegação principal' });
    for (const item of ['Usuários', 'Verificação de advogados', 'Avaliações', 'Suporte', 'Repasses', 'Auditoria', 'Gravações']) {
      await sidebar.getByRole('link', { name: new RegExp(item) }).waitFor();
    }
    await page.getByRole('table').waitFor();
    await screenshot(page, 'admin-users');

    await page.getByLabel('Nome ou e-mail').fill(email);
    await page.getByRole('button', { name: 'Buscar' }).click();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.waitFor();
    expect(await page.getByRole('row').count()).toBe(2); // header and the one match

    await row.getByRole('button', { name: /Suspender/ }).click();
    const dialog = page.getByRole('dialog', { name: `Suspender ${name}` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Suspender conta' }).click();
    await dialog.getByText('Descreva o motivo com pelo menos 3 caracteres.').waitFor();
    await dialog.getByLabel('Motivo').fill(reason);
    await screenshot(page, 'admin-suspend-dialog');
    await dialog.getByRole('button', { name: 'Suspender conta' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Suspensa').waitFor();
    await page.getByText(`A conta de ${name} foi suspensa.`).waitFor();
    await screenshot(page, 'admin-user-suspended');

    await page.getByLabel('Situação').selectOption('suspended');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.waitForURL((u) => u.searchParams.get('status') === 'suspended');
    await row.getByRole('button', { name: /Reativar/ }).click();
    const restore = page.getByRole('dialog', { name: `Reativar ${name}` });
    await restore.getByLabel('Motivo').fill('Fim do teste automatizado');
    await restore.getByRole('button', { name: 'Reativar conta' }).click();
    await row.getByText('Ativa').waitFor();

    await sidebar.getByRole('link', { name: /Auditoria/ }).click();
    await page.waitForURL((u) => u.pathname === '/admin/audit');
    await page.getByRole('cell', { name: reason }).waitFor();
    await page.getByRole('button', { name: 'Verificar cadeia' }).click();
    await page.getByText(/Cadeia íntegra/).waitFor();
    await screenshot(page, 'admin-audit-verified');

    await page.getByLabel('Ação', { exact: true }).fill('user.suspended');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.waitForURL((u) => u.searchParams.get('action') === 'user.suspended');
    await page.getByRole('cell', { name: reason }).waitFor();
    await screenshot(page, 'admin-audit-filtered');

    // Contracts: read only, filtered by status.
    await page.goto('/admin/contracts');
    await page.getByRole('heading', { level: 1, name: 'Contratos' }).waitFor();
    await page.locator('.table, .empty').first().waitFor();
    const all = await page.locator('.table tbody tr').count();
    await page.getByLabel('Situação').selectOption('terminated');
    await page.waitForURL((u) => u.searchParams.get('status') === 'terminated');
    await page.locator('.table, .empty').first().waitFor();
    // Only terminated contracts are listed, no more than in the whole list, and none can be acted on.
    const statuses = () => page.locator('.table tbody .tag').allInnerTexts();
    await expect.poll(async () => (await statuses()).every((s) => s === 'Encerrado'), { timeout: 10_000 }).toBe(true);
    expect((await statuses()).length).toBeLessThanOrEqual(all);
    expect(await page.getByRole('button', { name: /Enviar|Aceitar|Encerrar/ }).count()).toBe(0);
    await screenshot(page, 'admin-contracts');
    expect(pageProblems(page)).toEqual([]);
  } finally {
    await context.close();
  }
});
