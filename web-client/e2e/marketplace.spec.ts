// The marketplace journey, end to end against a running server and its Stripe stand-in:
// a lawyer onboards (OAB profile, availability), an admin verifies them, a client finds them,
// pays on the stand-in's checkout page, books a slot, reschedules; both parties see the
// consultation; the lawyer cancels it and the client is refunded.
//
// Needs an admin (verification): ADMIN_EMAIL=E ADMIN_PASSWORD=P BASE_URL=... npm run e2e.
// The tests share one journey and run in order.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, newPage, pageProblems, PHONE, screenshot, signInAt, uniqueEmail } from './browser';

const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? '';
const skip = !ADMIN_EMAIL || !ADMIN_PASSWORD;

const run = `${Date.now() % 1_000_000}`;
const lawyerName = `Dra. Marina Prado ${run}`;
const clientName = `Cliente Teste ${run}`;
const password = 'uma senha longa o bastante';
// An OAB number and a fee nobody else has, so the directory search finds exactly this lawyer.
const oab = String(100_000 + Math.floor(Math.random() * 8_999_999)).slice(0, 6);
const feeCents = 100_000 + Math.floor(Math.random() * 99_999); // R$ 1.000,00 to R$ 1.999,99
const feeTyped = `1.${String(Math.floor(feeCents / 100) % 1000).padStart(3, '0')},${String(feeCents % 100).padStart(2, '0')}`;
/** An amount as the page shows it (Intl puts a no-break space after R$). */
const brl = (typed: string) => new RegExp(`R\\$\\s${typed.replace(/\./g, '\\.')}`);
const DAY = 86_400_000;
const dayOffDate = new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10);

let browser: Browser;
const contexts: BrowserContext[] = [];
let lawyer: Page;
let client: Page;
let clientContext: BrowserContext;

async function open(timezoneId?: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(browser, undefined, { timezoneId });
  contexts.push(opened.context);
  return opened;
}

async function signUp(page: Page, role: RegExp, name: string, home: string): Promise<void> {
  await page.goto('/signup');
  await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('Nome', { exact: true }).fill(name);
  await page.getByLabel('E-mail').fill(uniqueEmail(home.slice(1)));
  await page.getByLabel('Senha', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Criar conta' }).click();
  await page.waitForURL((u) => u.pathname === home);
}

function sidebarLink(page: Page, name: RegExp) {
  return page.getByRole('navigation', { name: 'Navegação principal' }).getByRole('link', { name });
}

beforeAll(async () => {
  if (!skip) browser = await launch();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

test.skipIf(skip)('a lawyer signs up, fills the OAB profile and the weekly availability', async () => {
  ({ page: lawyer } = await open());
  await signUp(lawyer, /^Advogado/, lawyerName, '/lawyer');

  await sidebarLink(lawyer, /Perfil\/OAB/).click();
  await lawyer.waitForURL((u) => u.pathname === '/lawyer/profile');
  await lawyer.getByText('Complete seu perfil.', { exact: false }).waitFor();
  // The form checks before sending.
  await lawyer.getByRole('button', { name: 'Salvar perfil' }).click();
  await lawyer.getByText('Informe o número de inscrição na OAB.').waitFor();
  await lawyer.getByText('Escolha de 1 a 8 áreas.').waitFor();

  await lawyer.getByLabel('Número de inscrição').fill(`${oab.slice(0, 3)}.${oab.slice(3)}`);
  await lawyer.getByLabel('Seccional (UF)').selectOption('SP');
  await lawyer.getByRole('checkbox', { name: 'Direito de Família' }).check();
  await lawyer.getByRole('checkbox', { name: 'Direito Civil' }).check();
  await lawyer.getByRole('checkbox', { name: 'Inglês' }).check();
  expect(await lawyer.getByRole('checkbox', { name: 'Português (Brasil)' }).isChecked()).toBe(true);
  await lawyer.getByLabel('Honorários por consulta (R$)').fill(feeTyped);
  await lawyer.getByText(new RegExp(`Valor: ${brl(feeTyped).source}`)).waitFor();
  await lawyer.getByLabel('Duração da consulta').selectOption('60');
  await lawyer.getByLabel('Fuso horário do seu expediente').selectOption('America/Sao_Paulo');
  await lawyer.getByLabel('Apresentação').fill('Advogada de família há 12 anos: divórcio, guarda, pensão e inventário.\nAtendo em português e inglês.');
  await screenshot(lawyer, 'market-lawyer-profile-filled');
  await lawyer.getByRole('button', { name: 'Salvar perfil' }).click();
  await lawyer.getByText('Perfil salvo.').waitFor();
  await lawyer.getByText('Sua inscrição na OAB está em verificação.', { exact: false }).waitFor();
  await screenshot(lawyer, 'market-lawyer-profile-pending');

  await lawyer.getByRole('link', { name: 'Próximo passo: defina sua disponibilidade.' }).click();
  await lawyer.waitForURL((u) => u.pathname === '/lawyer/availability');
  await lawyer.getByRole('heading', { name: 'Horários semanais' }).waitFor();
  // Every day 07:00–22:00: well past the default two hours of minimum notice.
  await lawyer.getByRole('button', { name: 'Adicionar horário (Segunda-feira)' }).click();
  await lawyer.getByLabel('Segunda-feira, horário 1: Início').fill('07:00');
  await lawyer.getByLabel('Segunda-feira, horário 1: Fim').fill('22:00');
  await lawyer.getByRole('button', { name: 'Copiar para todos os dias (Segunda-feira)' }).click();
  expect(await lawyer.getByLabel('Domingo, horário 1: Fim').inputValue()).toBe('22:00');

  // A mistake is caught next to its row, before saving.
  await lawyer.getByLabel('Terça-feira, horário 1: Fim').fill('06:00');
  await lawyer.getByRole('button', { name: 'Salvar disponibilidade' }).click();
  await lawyer.getByText('Corrija os pontos indicados (1).').waitFor();
  await lawyer.getByText('O fim (06:00) precisa ser depois do início (07:00).').waitFor();
  await screenshot(lawyer, 'market-lawyer-availability-errors');
  await lawyer.getByLabel('Terça-feira, horário 1: Fim').fill('22:00');

  // A day off in two months.
  await lawyer.getByRole('button', { name: 'Adicionar exceção' }).click();
  await lawyer.getByLabel('Data', { exact: true }).fill(dayOffDate);
  await lawyer.getByLabel('Intervalo depois (min)').fill('0');
  await lawyer.getByRole('button', { name: 'Salvar disponibilidade' }).click();
  await lawyer.getByText('Disponibilidade salva.').waitFor();
  await lawyer.getByText('A prévia aparece quando seu perfil estiver verificado', { exact: false }).waitFor();
  await screenshot(lawyer, 'market-lawyer-availability');
  expect(pageProblems(lawyer)).toEqual([]);
});

test.skipIf(skip)('an admin verifies the lawyer in the verification queue', async () => {
  const { page: admin } = await open();
  await signInAt(admin, '/admin/lawyers', ADMIN_EMAIL, ADMIN_PASSWORD);

  const card = admin.getByRole('article', { name: lawyerName });
  await card.waitFor();
  await card.getByText(`OAB/SP ${oab}`).waitFor();
  await screenshot(admin, 'market-admin-queue');
  await card.getByRole('button', { name: /^Verificar/ }).click();
  const dialog = admin.getByRole('dialog', { name: `Verificar ${lawyerName}` });
  await dialog.getByRole('button', { name: 'Verificar inscrição' }).click();
  await dialog.getByText('Descreva o motivo com pelo menos 3 caracteres.').waitFor();
  await dialog.getByLabel('Motivo').fill(`Inscrição OAB/SP ${oab} conferida no CNA (teste automatizado)`);
  await screenshot(admin, 'market-admin-verify-dialog');
  await dialog.getByRole('button', { name: 'Verificar inscrição' }).click();
  await admin.getByText(`A inscrição de ${lawyerName} foi verificada.`).waitFor();
  await card.waitFor({ state: 'detached' });

  await admin.getByRole('link', { name: 'Verificados' }).click();
  await admin.waitForURL((u) => u.searchParams.get('status') === 'verified');
  await admin.getByRole('article', { name: lawyerName }).getByText(/Verificado em/).waitFor();
  await screenshot(admin, 'market-admin-verified');
  expect(pageProblems(admin)).toEqual([]);
});

test.skipIf(skip)('the verified lawyer sees a preview of the free slots', async () => {
  await lawyer.reload();
  await lawyer.getByRole('heading', { name: 'Prévia: próximos horários livres' }).waitFor();
  await lawyer.locator('.slot-preview li').first().waitFor();
  await screenshot(lawyer, 'market-lawyer-availability-preview');
  await sidebarLink(lawyer, /Perfil\/OAB/).click();
  await lawyer.getByText(/Perfil verificado em/).waitFor();
  expect(pageProblems(lawyer)).toEqual([]);
});

let paymentPath = '';

test.skipIf(skip)('a client finds the lawyer, pays on the checkout page and books a slot in Legal Mode', async () => {
  // A client abroad: times show in Lisbon's zone, with the lawyer's zone named.
  ({ context: clientContext, page: client } = await open('Europe/Lisbon'));
  await signUp(client, /^Cliente/, clientName, '/client');

  await sidebarLink(client, /Encontrar advogado/).click();
  await client.waitForURL((u) => u.pathname === '/client/lawyers');
  await client.getByLabel('Área de atuação').selectOption('family');
  await client.getByLabel('Honorários mín. (R$)').fill(feeTyped);
  await client.getByLabel('Honorários máx. (R$)').fill(feeTyped);
  await client.getByRole('button', { name: 'Buscar' }).click();
  await client.waitForURL((u) => u.searchParams.get('min_fee') === String(feeCents));
  const result = client.getByRole('article', { name: lawyerName });
  await result.waitFor();
  await client.getByText('1 advogado encontrado').waitFor();
  await result.getByText('Próximo horário livre:', { exact: false }).waitFor();
  await result.getByText(brl(feeTyped)).first().waitFor();
  await screenshot(client, 'market-client-directory');

  await result.getByRole('link', { name: lawyerName, exact: true }).click();
  await client.getByRole('heading', { level: 1, name: lawyerName }).waitFor();
  await client.getByText('O advogado atende no fuso America/Sao_Paulo', { exact: false }).first().waitFor();
  await client.locator('.slot-preview li').first().waitFor();
  // Paying accepts the consultation terms: the button waits for the box to be ticked.
  const pay = client.getByRole('button', { name: 'Pagar e agendar' });
  const terms = client.getByRole('checkbox', { name: 'Li e aceito os termos da consulta' });
  expect(await pay.isDisabled()).toBe(true);
  await client.getByText('Ler os termos: Termos da consulta jurídica').click();
  await client.getByText(`Cliente: ${clientName}`).waitFor();
  await terms.check();
  await screenshot(client, 'market-client-lawyer-profile');

  // Leaving the checkout page without paying comes back with a notice.
  await pay.click();
  await client.getByRole('button', { name: /Voltar/ }).click();
  await client.waitForURL((u) => u.pathname.startsWith('/client/lawyers/') && u.searchParams.get('checkout') === 'cancelled');
  await client.getByText('Pagamento cancelado: nada foi cobrado.', { exact: false }).waitFor();
  await screenshot(client, 'market-client-checkout-cancelled');

  await terms.check();
  await pay.click();
  await client.getByRole('button', { name: /Pagar com cartão \(aprovado\)/ }).waitFor();
  await screenshot(client, 'market-checkout-standin');
  await client.getByRole('button', { name: /Pagar com cartão \(aprovado\)/ }).click();
  await client.waitForURL((u) => u.pathname.startsWith('/client/payments/') && u.searchParams.get('checkout') === 'success');
  paymentPath = new URL(client.url()).pathname;
  await client.getByText('Pagamento confirmado.', { exact: false }).waitFor();
  await client.getByText('Pago', { exact: true }).waitFor();
  await screenshot(client, 'market-client-payment-paid');

  // Three days ahead: more than 24 h away, so the client may still move or cancel it.
  const days = client.getByRole('group', { name: 'Dias com horários livres' }).getByRole('button');
  await days.nth(3).click();
  await client.getByRole('radio').first().check();
  await client.getByRole('checkbox', { name: 'Gravar em Modo Jurídico' }).check();
  await screenshot(client, 'market-client-slot-picker');
  await client.getByRole('button', { name: 'Agendar' }).click();
  await client.getByText('Consulta agendada para', { exact: false }).waitFor();
  await screenshot(client, 'market-client-scheduled');

  // The terms accepted at checkout are in "Contratos", in force with the booked session, with
  // the hash of the exact text and its PDF.
  await sidebarLink(client, /Contratos/).click();
  const termsRow = client.getByRole('row', { name: new RegExp(lawyerName) });
  await termsRow.getByText('Em vigor').waitFor();
  await screenshot(client, 'contracts-client-list');
  await termsRow.getByRole('link', { name: 'Termos da consulta jurídica' }).click();
  await client.getByText('Aceito em', { exact: false }).waitFor();
  expect(await client.getByTestId('hash-v1').innerText()).toMatch(/^[0-9a-f]{64}$/);
  const pdf = await client.request.get(await client.getByRole('link', { name: 'Baixar PDF' }).getAttribute('href') ?? '');
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  await screenshot(client, 'contracts-client-terms');
  await client.goto(paymentPath);
  await client.getByRole('link', { name: 'Ver a consulta' }).waitFor();
  expect(pageProblems(client)).toEqual([]);
});

test.skipIf(skip)('the consultation is in "Minhas consultas": join says when the room opens; the client reschedules', async () => {
  await client.getByRole('link', { name: 'Ver a consulta' }).click();
  await client.waitForURL((u) => u.pathname.startsWith('/client/consultations/'));
  await client.getByText(`Com ${lawyerName}`).waitFor();
  await client.getByText('Modo Jurídico', { exact: true }).waitFor();
  await client.getByRole('button', { name: 'Entrar' }).click();
  await client.getByText(/A sala abre (às|em) /).waitFor();
  await screenshot(client, 'market-client-session');

  // The call page (linked from the .ics file): the device check with a waiting room that says
  // when the room opens, and the Legal Mode notice (recorded only with both parties' consent).
  const sessionId = new URL(client.url()).pathname.split('/').pop();
  await client.goto(`/call/${sessionId}`);
  await client.getByRole('heading', { level: 1, name: 'Sala da consulta' }).waitFor();
  await client.getByText(lawyerName, { exact: true }).waitFor();
  await client.getByText(/A sala abre em \d{2}\/\d{2}\/\d{4}/).waitFor();
  await client.getByText('Com o consentimento das duas partes, esta chamada é gravada', { exact: false }).waitFor();
  await client.getByRole('button', { name: 'Entrar quando a sala abrir' }).click();
  await client.getByText('Você entrará automaticamente quando a sala abrir.', { exact: false }).waitFor();
  await screenshot(client, 'market-call-waiting-room');
  await client.getByRole('button', { name: 'Não entrar automaticamente' }).click();

  await client.goto('/client/consultations');
  const card = client.getByRole('article').filter({ hasText: lawyerName });
  await card.waitFor();
  await card.getByText('Agendada').waitFor();
  const before = await card.getByRole('heading').innerText();
  await screenshot(client, 'market-client-consultations');

  await card.getByRole('button', { name: 'Remarcar' }).click();
  const dialog = client.getByRole('dialog', { name: 'Remarcar a consulta' });
  await dialog.getByRole('group', { name: 'Dias com horários livres' }).getByRole('button').nth(4).click();
  await dialog.getByRole('radio').first().check();
  await screenshot(client, 'market-client-reschedule');
  await dialog.getByRole('button', { name: 'Remarcar para este horário' }).click();
  await card.getByText('Consulta remarcada para', { exact: false }).waitFor();
  expect(await card.getByRole('heading').innerText()).not.toBe(before);

  await sidebarLink(client, /Pagamentos/).click();
  const row = client.getByRole('row', { name: new RegExp(lawyerName) });
  await row.getByText('Pago').waitFor();
  await screenshot(client, 'market-client-payments');
  await row.getByRole('link', { name: 'Recibo' }).click();
  await client.getByRole('heading', { level: 1, name: 'Recibo' }).waitFor();
  await client.getByText('Honorários advocatícios: consulta de 60 minutos').waitFor();
  await client.getByText('Taxa de serviço da plataforma Tribuna').waitFor();
  await client.getByText(brl(feeTyped)).first().waitFor();
  await screenshot(client, 'market-client-receipt');
  expect(pageProblems(client)).toEqual([]);
});

test.skipIf(skip)('on a phone the directory and the payment page fit the screen', async () => {
  const { context, page } = await newPage(browser, PHONE, { timezoneId: 'Europe/Lisbon', storageState: await clientContext.storageState() });
  contexts.push(context);
  await page.goto(`/client/lawyers?area=family&min_fee=${feeCents}&max_fee=${feeCents}`);
  await page.getByRole('article', { name: lawyerName }).waitFor();
  await screenshot(page, 'market-phone-directory');
  await page.getByRole('article', { name: lawyerName }).getByRole('link', { name: lawyerName, exact: true }).click();
  await page.getByRole('button', { name: 'Pagar e agendar' }).waitFor();
  await screenshot(page, 'market-phone-lawyer-profile');
  await page.goto(paymentPath);
  await page.getByText('Consulta agendada para', { exact: false }).waitFor();
  await screenshot(page, 'market-phone-payment');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The same pages in English.
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Navegação principal' }).getByRole('button', { name: 'English' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor({ state: 'hidden' });
  await page.getByText('Consultation booked for', { exact: false }).waitFor();
  await page.getByText("Lawyer's fee").waitFor();
  await screenshot(page, 'market-phone-payment-en');
  await page.goto('/client/consultations');
  await page.getByRole('heading', { level: 1, name: 'My consultations' }).waitFor();
  await page.getByText('Legal Mode', { exact: true }).first().waitFor();
  await screenshot(page, 'market-phone-consultations-en');
  expect(pageProblems(page)).toEqual([]);
});

test.skipIf(skip)('the lawyer sees it in "Consultas" and cancels it; the client is refunded', async () => {
  await sidebarLink(lawyer, /^Consultas/).click();
  await lawyer.waitForURL((u) => u.pathname === '/lawyer/consultations');
  const card = lawyer.getByRole('article').filter({ hasText: `Cliente: ${clientName}` });
  await card.waitFor();
  await card.getByText('Modo Jurídico', { exact: true }).waitFor();
  await card.getByRole('link', { name: 'Adicionar à agenda (.ics)' }).waitFor();
  await screenshot(lawyer, 'market-lawyer-consultations');

  await card.getByRole('button', { name: 'Cancelar consulta' }).click();
  const dialog = lawyer.getByRole('dialog', { name: /^Cancelar a consulta de/ });
  await dialog.getByText('O cliente recebe o reembolso integral', { exact: false }).waitFor();
  await dialog.getByLabel('Motivo').fill('Imprevisto na agenda do escritório');
  await screenshot(lawyer, 'market-lawyer-cancel-dialog');
  await dialog.getByRole('button', { name: 'Cancelar consulta' }).click();
  await lawyer.getByText('Consulta cancelada.', { exact: false }).waitFor();
  await lawyer.getByText('Cancelada', { exact: true }).waitFor();
  await screenshot(lawyer, 'market-lawyer-cancelled');

  await client.reload();
  await client.getByText('Reembolsado', { exact: true }).waitFor();
  await sidebarLink(client, /Minhas consultas/).click();
  await client.getByText('Motivo do cancelamento: Imprevisto na agenda do escritório').waitFor();
  await screenshot(client, 'market-client-cancelled');
  expect(pageProblems(lawyer)).toEqual([]);
  expect(pageProblems(client)).toEqual([]);
});

test.skipIf(skip)('the cancelled session ended its terms; the lawyer writes a fee agreement template', async () => {
  await sidebarLink(lawyer, /^Contratos/).click();
  const row = lawyer.getByRole('row', { name: new RegExp(clientName) });
  await row.getByText('Encerrado').waitFor();
  // No held consultation yet: the form says why a fee agreement cannot be sent.
  await lawyer.getByText('Crie antes um modelo de contrato de honorários em Modelos.').waitFor();
  await screenshot(lawyer, 'contracts-lawyer-list');

  await sidebarLink(lawyer, /^Modelos/).click();
  await lawyer.getByText('Sem termos da consulta próprios', { exact: false }).waitFor();
  const form = lawyer.getByRole('form', { name: 'Novo modelo' });
  await form.getByLabel('Tipo').selectOption('fee_agreement');
  await form.getByLabel('Título').fill('Contrato de honorários — contencioso');
  await form.getByLabel('Texto').fill('Contratante: {{client_name}}. Honorários de {{valor}}.');
  await form.getByText('Campos desconhecidos: valor').waitFor();
  expect(await form.getByRole('button', { name: 'Criar modelo' }).isDisabled()).toBe(true);
  await form.getByLabel('Texto').fill('Contratante: {{client_name}}, atendido(a) em {{session_date}}. Contratado(a): {{lawyer_name}}, OAB {{lawyer_oab}}.');
  await form.getByRole('button', { name: 'Criar modelo' }).click();
  await lawyer.getByRole('heading', { level: 2, name: 'Contrato de honorários — contencioso' }).waitFor();
  await screenshot(lawyer, 'contracts-lawyer-templates');
  await sidebarLink(lawyer, /^Contratos/).click();
  await lawyer.getByText('Um contrato de honorários é enviado depois de uma consulta realizada', { exact: false }).waitFor();
  expect(pageProblems(lawyer)).toEqual([]);
});
