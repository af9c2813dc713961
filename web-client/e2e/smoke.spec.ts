import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, newPage, pageProblems, screenshot, uniqueEmail } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('a client signs up, lands on /client with the sidebar, and logs out', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.goto('/signup?invite=PARCEIRO-42');
    await page.getByRole('heading', { level: 1, name: 'Criar conta' }).waitFor();
    // An unknown invite code: said so, and the sign-up goes on without it.
    await page.getByText('Este convite não é válido ou expirou.', { exact: false }).waitFor();

    // Client-side validation first.
    await page.getByRole('button', { name: 'Criar conta' }).click();
    await page.getByText('Escolha o tipo de conta.').waitFor();
    await screenshot(page, 'signup-errors');

    await page.getByRole('radio', { name: /^Cliente/ }).check();
    await page.getByLabel('Nome', { exact: true }).fill('Cliente de Teste');
    await page.getByLabel('E-mail').fill(uniqueEmail('client'));
    await page.getByLabel('Senha', { exact: true }).fill('uma senha longa o bastante');
    await screenshot(page, 'signup-filled');
    await page.getByRole('button', { name: 'Criar conta' }).click();

    await page.waitForURL((u) => u.pathname === '/client');
    const sidebar = page.getByRole('navigation', { name: 'Navegação principal' });
    await sidebar.waitFor();
    for (const item of ['Encontrar advogado', 'Minhas consultas', 'Pagamentos', 'Suporte']) {
      await sidebar.getByRole('link', { name: new RegExp(item) }).waitFor();
    }
    await page.getByRole('heading', { level: 1, name: 'Olá, Cliente de Teste' }).waitFor();
    await screenshot(page, 'client-home');

    // Support: a contact message becomes a ticket under review.
    await sidebar.getByRole('link', { name: /Suporte/ }).click();
    await page.waitForURL((u) => u.pathname === '/client/support');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.getByText('Preencha este campo.').first().waitFor();
    await page.getByLabel('Assunto').fill('Dúvida sobre recibo');
    await page.getByLabel('Mensagem').fill('Preciso de uma segunda via do recibo.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.getByText('Mensagem enviada.', { exact: false }).waitFor();
    const ticket = page.getByRole('article', { name: 'Dúvida sobre recibo' });
    await ticket.getByText('Em análise').waitFor();
    await screenshot(page, 'client-support');
    await ticket.getByRole('link', { name: /Ver detalhes/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Dúvida sobre recibo' }).waitFor();
    await page.getByRole('link', { name: 'Voltar a Suporte' }).click();
    await page.waitForURL((u) => u.pathname === '/client/support');

    // Another role's area sends the client home.
    await page.goto('/admin/users');
    await page.waitForURL((u) => u.pathname === '/client');

    // The account page reads GET /api/users/{id}.
    await page.goto('/account');
    await page.getByText('Cliente de Teste', { exact: true }).waitFor();
    await screenshot(page, 'client-account');

    await page.getByRole('button', { name: 'Sair' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByText('Você saiu da sua conta.').waitFor();
    await screenshot(page, 'logged-out');

    // Logged out for real: the client area sends back to the login page.
    await page.goto('/client');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/client');
    expect(pageProblems(page)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('the language switch moves to English and is remembered', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.goto('/login');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Enter your email.').waitFor();
    await screenshot(page, 'login-english-errors');
    expect(pageProblems(page)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('on a phone the sidebar is a menu that opens and closes', async () => {
  const { context, page } = await newPage(browser, { width: 390, height: 844 });
  try {
    await page.goto('/signup');
    await screenshot(page, 'phone-signup');
    await page.getByRole('radio', { name: /^Advogado/ }).check();
    await page.getByLabel('Nome', { exact: true }).fill('Dra. Ana Souza');
    await page.getByLabel('E-mail').fill(uniqueEmail('lawyer'));
    await page.getByLabel('Senha', { exact: true }).fill('uma senha longa o bastante');
    await page.getByRole('button', { name: 'Criar conta' }).click();
    await page.waitForURL((u) => u.pathname === '/lawyer');

    const sidebar = page.getByRole('navigation', { name: 'Navegação principal' });
    const menu = page.getByRole('button', { name: 'Menu' });
    // The layout is there (its menu button) before the sidebar's absence means anything.
    await menu.waitFor();
    expect(await sidebar.isVisible()).toBe(false);
    await screenshot(page, 'phone-lawyer-home');

    await menu.click();
    await sidebar.getByRole('link', { name: /Perfil\/OAB/ }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'phone-lawyer-menu');

    await page.keyboard.press('Escape');
    await sidebar.waitFor({ state: 'hidden' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');

    // Following a link closes the menu too.
    await menu.click();
    await sidebar.getByRole('link', { name: /Disponibilidade/ }).click();
    await page.waitForURL((u) => u.pathname === '/lawyer/availability');
    await sidebar.waitFor({ state: 'hidden' });

    await menu.click();
    await sidebar.getByRole('button', { name: 'Sair' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    expect(pageProblems(page)).toEqual([]);
  } finally {
    await context.close();
  }
});
