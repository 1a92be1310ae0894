// Journeys through the navigator's SPA in headless Chromium, as families, providers and operators
// use it: from registration to the write-off in the certificate's history. axe-core checks the
// main pages for accessibility; every main page is captured at desktop and phone widths.
//
// Run by tests/browser/run.sh, which starts the server with fresh demo data:
//   node journeys.mjs --base http://127.0.0.1:PORT --artifacts DIR
// The last line is `browser: N passed, M failed`; the exit code is 1 when anything failed.

import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const { values: options } = parseArgs({
  options: {
    base: { type: 'string' },
    artifacts: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
if (!options.base || !options.artifacts) {
  console.error('usage: node journeys.mjs --base URL --artifacts DIR [--chromium PATH]');
  process.exit(2);
}
const BASE = options.base.replace(/\/$/, '');
const SCREENSHOTS = options.artifacts;
mkdirSync(SCREENSHOTS, { recursive: true });
// Screenshots of an earlier run would pass for this run's.
for (const file of readdirSync(SCREENSHOTS)) {
  if (file.endsWith('.png')) rmSync(join(SCREENSHOTS, file));
}

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
/** How long a step may wait for the page: the first load compiles the wasm module. */
const STEP_TIMEOUT = 20_000;

const DEMO = {
  municipal: { email: 'municipal@demo.example', password: 'demo-municipal' },
  regional: { email: 'regional@demo.example', password: 'demo-regional' },
  provider: { email: 'provider@demo.example', password: 'demo-provider' },
  family: { email: 'family@demo.example', password: 'demo-family' },
};

// The family this run registers. The database is fresh, so the names only need to be unique
// among the demo data.
const RUN = Date.now().toString(36);
const PARENT = {
  fullName: 'Тестова Анна Сергеевна',
  email: `parent-${RUN}@example.ru`,
  password: `пароль-${RUN}-надёжный`,
};
const CHILD = { firstName: 'Мирослава', lastName: 'Тестова', name: 'Мирослава Тестова' };
/** The demo family's son attends this program of the demo provider. */
const REVIEWED = { title: 'Шахматный клуб «Ладья»', child: 'Артём' };
/** A program the demo provider writes in this run. */
const NEW_PROGRAM = {
  title: `Юный астроном ${RUN}`,
  edited: `Юный астроном ${RUN}: телескоп`,
};
/** A program of the demo provider's organization, certified, 2 800,00 ₽ a month, ages 11–16. */
const PROGRAM = { search: 'робототехника', title: 'Робототехника на Arduino', group: 'Группа 1' };

const MONTHS_RU = [
  'январь', 'февраль', 'март', 'апрель', 'май', 'июнь',
  'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь',
];

// ---------------------------------------------------------------------------------------------
// Helpers

/** A valid SNILS (11 digits, the last two a checksum of the first nine) for `number`. */
function snils(number) {
  const digits = String(number).padStart(9, '0').split('').map(Number);
  const sum = digits.reduce((acc, d, i) => acc + d * (9 - i), 0);
  let check = sum < 100 ? sum : sum <= 101 ? 0 : sum % 101;
  if (check === 100) check = 0;
  const d = digits.join('');
  return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${String(check).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` of the day `years` years and `days` days before today (UTC). */
function birthDate(years, days) {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/** A valid ИНН of an organisation (10 digits, the last a check digit) for `number`. */
function inn(number) {
  const digits = String(number).padStart(9, '0').slice(-9).split('').map(Number);
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (digits.reduce((acc, d, i) => acc + d * weights[i], 0) % 11) % 10;
  return digits.join('') + String(check);
}

/** Roubles in `3 200,00 ₽` as a number of kopecks. */
function kopecks(text) {
  const digits = text.replace(/[^\d,]/g, '').replace(',', '.');
  return Math.round(Number.parseFloat(digits) * 100);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Fails on serious or critical axe-core violations of the page as it is now. */
async function checkAccessibility(page, name) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.violations.length - bad.length;
  console.log(`     axe ${name}: ${bad.length} serious or critical, ${minor} minor`);
  assert(
    bad.length === 0,
    `${name}: serious or critical accessibility violations:\n${bad
      .map((v) => `  ${v.impact} ${v.id}: ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `      at ${n.target.join(' ')}`)
        .join('\n')}`)
      .join('\n')}`,
  );
}

/** Saves `name-desktop.png` and `name-phone.png` of the whole page. */
async function capture(page, name) {
  for (const [suffix, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(viewport);
    // Let the layout settle at the new width.
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${suffix}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

// ---------------------------------------------------------------------------------------------
// The harness: journeys run in order. Those of the story (from registration to the write-off)
// each need what the one before did: once one fails, the rest are counted as failed without
// running. Journeys marked `{ story: false }` stand alone and always run.

const results = [];
let storyBroken = false;
/** The pages open now, with the errors they reported: shown when a step fails. */
const openPages = new Map();

async function journey(name, steps, { story = true } = {}) {
  const started = Date.now();
  if (story && storyBroken) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (not run: an earlier step failed)`);
    return;
  }
  try {
    await steps();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    if (story) storyBroken = true;
    results.push({ name, ok: false });
    let n = 0;
    for (const [page, errors] of openPages) {
      n += 1;
      if (errors.length > 0) console.log(`     errors on page ${n}:\n       ${errors.join('\n       ')}`);
      await page
        .screenshot({ path: join(SCREENSHOTS, `failure-${results.length}-${n}.png`), fullPage: true })
        .catch(() => {});
    }
    console.log(`FAIL ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n     ${String(error.stack || error).replace(/\n/g, '\n     ')}`);
  }
}

const browser = await chromium.launch({
  executablePath: options.chromium,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

/** A fresh browser profile for one person; uncaught errors of the app fail the journey. */
async function person() {
  // UTC, as the server counts days: a month that has started for the browser has started for
  // the server too, whatever the hour.
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'ru-RU', timezoneId: 'UTC' });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  openPages.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) {
      errors.push(message.text());
    }
  });
  return {
    page,
    async close() {
      openPages.delete(page);
      await context.close();
      assert(errors.length === 0, `the page reported errors:\n  ${errors.join('\n  ')}`);
    },
  };
}

async function signIn(page, { email, password }) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  // Staff pages load the staff bundle (a reload of the page): wait for the page itself, so that
  // the next step does not race the reload.
  await page.locator('main h1').first().waitFor();
}

// ---------------------------------------------------------------------------------------------
// The journeys

const started = Date.now();
const family = await person();

await journey('guests browse the catalog and a program; the pages are accessible', async () => {
  const guest = await person();
  const { page } = guest;
  await page.goto(`${BASE}/catalog`);
  await page.getByRole('heading', { name: 'Каталог программ' }).waitFor();
  await page.locator('.program-card').first().waitFor();
  // Facet counts: every direction says how many programs it leaves.
  await page.getByText(/Найден[оа] \d+ программ/).waitFor();
  const sports = await page.locator('#direction option[value="sports"]').textContent();
  assert(/\(\d+\)$/.test(sports.trim()), `no count on the direction: ${sports}`);
  await checkAccessibility(page, 'catalog');
  await capture(page, 'catalog');

  await page.getByLabel('Что ищем').fill(PROGRAM.search);
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.getByRole('link', { name: PROGRAM.title }).click();
  await page.getByRole('heading', { name: PROGRAM.title, level: 1 }).waitFor();
  await page.getByText('Чтобы записать ребёнка').waitFor();
  await checkAccessibility(page, 'program (guest)');

  await page.goto(`${BASE}/login`);
  await page.getByRole('heading', { name: 'Вход' }).waitFor();
  await checkAccessibility(page, 'sign-in');
  await capture(page, 'sign-in');
  await guest.close();
}, { story: false });

await journey('a page that needs an account sends a guest to sign in and back', async () => {
  const visitor = await person();
  const { page } = visitor;
  await page.goto(`${BASE}/account`);
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/account');
  await page.getByLabel('Электронная почта').fill(DEMO.family.email);
  await page.getByLabel('Пароль').fill(DEMO.family.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((url) => url.pathname === '/account');
  await page.getByRole('heading', { name: 'Мои дети' }).waitFor();
  // A provider's page is not for a family.
  await page.goto(`${BASE}/provider/applications`);
  await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
  await visitor.close();
}, { story: false });

await journey('a family registers, adds a child and requests a certificate', async () => {
  const { page } = family;
  await page.goto(`${BASE}/register`);
  await page.getByLabel('Фамилия, имя и отчество').fill(PARENT.fullName);
  await page.getByLabel('Электронная почта').fill(PARENT.email);
  await page.getByLabel('Пароль').fill(PARENT.password);
  await page.getByLabel('Где вы живёте').selectOption({ label: 'г. Омск' });
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await page.waitForURL((url) => url.pathname === '/account');
  await page.getByText('Вы ещё не добавили ни одного ребёнка.').waitFor();

  await page.getByLabel('Фамилия', { exact: true }).fill(CHILD.lastName);
  await page.getByLabel('Имя', { exact: true }).fill(CHILD.firstName);
  await page.getByLabel('Дата рождения').fill(birthDate(12, 100));
  await page.getByLabel('СНИЛС').fill(snils(200_000_000 + (Date.now() % 99_999_999)));
  await page.getByRole('button', { name: 'Добавить ребёнка' }).click();
  await page.getByText('Ребёнок добавлен.').waitFor();

  await page.getByRole('button', { name: 'Получить сертификат' }).click();
  await page.getByText('Ожидает подтверждения').waitFor();
});

await journey('the municipal operator activates the certificate', async () => {
  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.municipal);
  await page.waitForURL((url) => url.pathname === '/operator/certificates');
  const card = page.locator('li', { hasText: CHILD.lastName });
  await card.waitFor();
  await capture(page, 'operator-certificates');
  await card.getByRole('button', { name: 'Подтвердить' }).click();
  await card.waitFor({ state: 'detached' });
  await operator.close();
});

await journey('the family finds a certified program, sees the co-payment and applies', async () => {
  const { page } = family;
  await page.goto(`${BASE}/account`);
  await page.getByText('Сертификат персонального учёта').waitFor();

  await page.getByRole('link', { name: 'Каталог', exact: true }).click();
  await page.getByLabel('Что ищем').fill(PROGRAM.search);
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.getByRole('link', { name: PROGRAM.title }).click();
  await page.getByRole('heading', { name: PROGRAM.title, level: 1 }).waitFor();

  await page.locator('#apply-child').selectOption({ label: CHILD.name });
  const group = await page
    .locator('#apply-group option', { hasText: `${PROGRAM.group} —` })
    .getAttribute('value');
  await page.locator('#apply-group').selectOption(group);

  const family_pays = await page.getByTestId('quote-family').textContent();
  const certificate_pays = await page.getByTestId('quote-certificate').textContent();
  assert(kopecks(certificate_pays) > 0, `the certificate pays ${certificate_pays}`);
  assert(kopecks(family_pays) > 0, `no co-payment in the quote: the family pays ${family_pays}`);
  await page.getByText('станет сертификатом персонифицированного финансирования').waitFor();
  await checkAccessibility(page, 'program (quote)');
  await capture(page, 'program');

  await page.getByRole('button', { name: 'Подать заявку' }).click();
  await page.getByText('Заявка отправлена').waitFor();
});

await journey('the provider accepts, marks attendance and issues the month\'s invoice', async () => {
  const provider = await person();
  const { page } = provider;
  await signIn(page, DEMO.provider);
  await page.waitForURL((url) => url.pathname === '/provider/applications');
  const card = page.locator('li', { hasText: CHILD.name });
  await card.waitFor();
  await checkAccessibility(page, 'provider applications');
  await capture(page, 'provider-applications');
  await card.getByRole('button', { name: 'Принять' }).click();
  await card.waitFor({ state: 'detached' });

  await page.getByRole('link', { name: 'Обучающиеся' }).click();
  await page.getByRole('link', { name: CHILD.name }).click();
  await page.getByRole('heading', { name: CHILD.name, level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Был на занятии' }).click();
  await page.getByText('Отмечено:').waitFor();
  await page.getByRole('button', { name: 'Выставить счёт' }).click();
  const month = MONTHS_RU[new Date().getUTCMonth()];
  await page.getByText(`Счёт за ${month}`).waitFor();
  await checkAccessibility(page, 'provider enrollment');
  await capture(page, 'provider-enrollment');

  await page.getByRole('link', { name: 'Счета', exact: true }).click();
  await page.locator('li', { hasText: CHILD.name }).waitFor();
  await capture(page, 'provider-invoices');
  await provider.close();
});

await journey('the municipal operator approves the invoice', async () => {
  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.municipal);
  await page.getByRole('link', { name: 'Счета на оплату' }).click();
  const card = page.locator('li', { hasText: CHILD.name });
  await card.waitFor();
  await checkAccessibility(page, 'operator invoices');
  await capture(page, 'operator-invoices');
  await card.getByRole('button', { name: 'Одобрить' }).click();
  await card.waitFor({ state: 'detached' });

  await page.getByRole('link', { name: 'Периоды' }).click();
  await page.getByText('Списано').first().waitFor();
  await checkAccessibility(page, 'operator periods');
  await capture(page, 'operator-periods');
  await operator.close();
});

await journey('the family sees the write-off in the certificate\'s history', async () => {
  const { page } = family;
  await page.goto(`${BASE}/account`);
  await page.getByRole('heading', { name: 'Заявки и занятия' }).waitFor();
  await page.getByText('Зачислен, идут занятия').waitFor();
  await checkAccessibility(page, 'account');
  await capture(page, 'account');

  await page.getByRole('link', { name: 'Посещаемость и оплата' }).click();
  await page.getByText('Посещено 1 из 1 отмеченного занятия').waitFor();

  await page.goto(`${BASE}/account`);
  await page.getByRole('link', { name: 'История сертификата' }).click();
  const month = MONTHS_RU[new Date().getUTCMonth()];
  const writeOff = page.locator('tr', { hasText: 'Оплата месяца из резерва' });
  await writeOff.waitFor();
  const text = await writeOff.textContent();
  assert(text.includes(PROGRAM.title) && text.includes(month), `the write-off row reads: ${text}`);
  await page.locator('tr', { hasText: 'Зачисление номинала' }).waitFor();
  await page.locator('tr', { hasText: 'Резерв на занятия' }).waitFor();
  await checkAccessibility(page, 'certificate history');
  await capture(page, 'certificate-history');
  await family.close();
});

await journey('a provider writes a draft and sends it; the regional operator publishes it; it is in the catalog', async () => {
  const provider = await person();
  let { page } = provider;
  await signIn(page, DEMO.provider);
  await page.getByRole('link', { name: 'Программы', exact: true }).click();
  await page.getByRole('heading', { name: 'Программы организации' }).waitFor();
  await page.getByRole('link', { name: 'Новая программа' }).click();
  await page.getByLabel('Название программы').fill(NEW_PROGRAM.title);
  await page.getByLabel('Описание').fill('Наблюдаем Луну и планеты, собираем простой телескоп.');
  await page.getByLabel('Направленность').selectOption({ label: 'Естественнонаучная' });
  await page.getByLabel('Возраст от, лет').fill('9');
  await page.getByLabel('Возраст до, лет').fill('14');
  await page.getByLabel('Часов в неделю').fill('2');
  await page.getByLabel('Продолжительность, месяцев').fill('9');
  await page.getByLabel('Стоимость в месяц, ₽').fill('1 900');
  await page.getByLabel('Адрес').fill('г. Омск, ул. Ленина, 1');
  await checkAccessibility(page, 'new program');
  await page.getByRole('button', { name: 'Создать черновик' }).click();
  await page.waitForURL((url) => /^\/provider\/programs\/[0-9a-f-]{36}$/.test(url.pathname));
  await page.getByRole('heading', { name: NEW_PROGRAM.title, level: 1 }).waitFor();

  // Someone else saves the draft first: this edit is refused and says so, and the page shows theirs.
  const programId = new URL(page.url()).pathname.split('/').pop();
  const changed = await page.evaluate(async (id) => {
    const { access_token: token } = JSON.parse(localStorage.getItem('navigator.session'));
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const read = await fetch(`/api/v1/programs/${id}`, { headers });
    const draft = await read.json();
    const body = {
      title: draft.title, description: `${draft.description} Изменено коллегой.`,
      direction: draft.direction, age_from: draft.age_from, age_to: draft.age_to, level: draft.level,
      form: draft.form, funding: draft.funding, price_per_month: draft.price_per_month,
      hours_per_week: draft.hours_per_week, duration_months: draft.duration_months,
      medical_certificate_required: draft.medical_certificate_required,
      adapted_for_disabilities: draft.adapted_for_disabilities, address: draft.address,
    };
    const put = await fetch(`/api/v1/programs/${id}`, {
      method: 'PUT', headers: { ...headers, 'If-Match': read.headers.get('ETag') }, body: JSON.stringify(body),
    });
    return put.status;
  }, programId);
  assert(changed === 200, `the colleague's edit answered ${changed}`);
  await page.getByLabel('Название программы').fill(NEW_PROGRAM.edited);
  await page.getByRole('button', { name: 'Сохранить черновик' }).click();
  await page.getByText('изменил кто-то другой').waitFor();
  assert(
    (await page.getByLabel('Описание').inputValue()).includes('Изменено коллегой.'),
    'the page does not show the colleague\'s version',
  );
  // Made again on the new version, the edit is saved.
  await page.getByLabel('Название программы').fill(NEW_PROGRAM.edited);
  await page.getByRole('button', { name: 'Сохранить черновик' }).click();
  await page.getByRole('heading', { name: NEW_PROGRAM.edited, level: 1 }).waitFor();

  await page.getByLabel('Название группы').fill('Группа «Орион»');
  await page.getByLabel('Начало занятий').fill(birthDate(0, 0));
  await page.getByLabel('Окончание занятий').fill(birthDate(-1, 0));
  await page.getByLabel('Расписание').fill('Вт, Чт 17:00–18:30');
  await page.getByLabel('Педагог').fill('Звездина Ольга Петровна');
  await page.getByLabel('Мест в группе').fill('12');
  await page.getByRole('button', { name: 'Добавить группу' }).click();
  await page.getByRole('rowheader', { name: 'Группа «Орион»' }).waitFor();
  await checkAccessibility(page, 'provider program (draft)');
  await capture(page, 'provider-program');

  await page.getByRole('button', { name: 'Отправить на модерацию' }).click();
  await page.locator('.card-head .badge', { hasText: 'На модерации' }).waitFor();
  await page.getByText('Отправлена на модерацию').waitFor();
  await provider.close();

  const regional = await person();
  ({ page } = regional);
  await signIn(page, DEMO.regional);
  await page.getByRole('link', { name: 'Модерация' }).click();
  await page.getByRole('heading', { name: 'Программы на модерации' }).waitFor();
  const card = page.locator('li', { hasText: NEW_PROGRAM.edited });
  await card.waitFor();
  await checkAccessibility(page, 'moderation queue');
  await capture(page, 'moderation-queue');
  await card.getByRole('link', { name: NEW_PROGRAM.edited }).click();
  await page.getByRole('heading', { name: 'Решение по программе' }).waitFor();
  await page.getByRole('radio', { name: /Оплата сертификатом/ }).check();
  await page.getByLabel('Основание решения').fill('Программа соответствует требованиям');
  await checkAccessibility(page, 'program on moderation');
  await capture(page, 'program-moderation');
  await page.getByRole('button', { name: 'Опубликовать' }).click();
  await page.locator('.card-head .badge', { hasText: 'Опубликована' }).waitFor();
  await page.locator('.event', { hasText: 'Программа соответствует требованиям' }).waitFor();
  await regional.close();

  const guest = await person();
  ({ page } = guest);
  await page.goto(`${BASE}/catalog?q=${encodeURIComponent('Юный астроном')}`);
  await page.getByRole('link', { name: NEW_PROGRAM.edited }).click();
  await page.getByRole('heading', { name: NEW_PROGRAM.edited, level: 1 }).waitFor();
  await page.getByText('Группа «Орион»').waitFor();
  await guest.close();
}, { story: false });

await journey('a family reviews the program its child attends; the provider answers; an operator hides and shows it', async () => {
  const demo = await person();
  let { page } = demo;
  await signIn(page, DEMO.family);
  await page.goto(`${BASE}/catalog?q=${encodeURIComponent('Ладья')}`);
  await page.getByRole('link', { name: REVIEWED.title }).click();
  await page.getByRole('heading', { name: 'Оставить отзыв' }).waitFor();
  await page.locator('#review-child').selectOption({ label: 'Артём Иванов' });
  // Stars are a radio group: chosen with the keyboard like any other.
  await page.getByRole('radio', { name: /4 — хорошо/ }).focus();
  await page.keyboard.press('ArrowRight');
  assert(await page.getByRole('radio', { name: /5 — отлично/ }).isChecked(), 'the arrow key did not move the rating');
  await page.getByLabel('Отзыв (необязательно)').fill('Артём ходит с удовольствием, тренер внимательный.');
  await checkAccessibility(page, 'program (review form)');
  await page.getByRole('button', { name: 'Опубликовать отзыв' }).click();
  await page.getByText('Спасибо! Отзыв опубликован.').waitFor();
  await page.getByText('Артём ходит с удовольствием').waitFor();
  // Once per child and program: a second review is refused in words.
  await page.reload();
  await page.locator('#review-child').selectOption({ label: 'Артём Иванов' });
  await page.getByRole('radio', { name: /3 — нормально/ }).check();
  await page.getByRole('button', { name: 'Опубликовать отзыв' }).click();
  await page.getByRole('alert').waitFor();
  await demo.close();

  const provider = await person();
  ({ page } = provider);
  await signIn(page, DEMO.provider);
  await page.goto(`${BASE}/catalog?q=${encodeURIComponent('Ладья')}`);
  await page.getByRole('link', { name: REVIEWED.title }).click();
  const review = page.locator('li.review', { hasText: 'Артём ходит с удовольствием' });
  await review.getByLabel('Ваш ответ на отзыв').fill('Спасибо! Ждём Артёма на турнире.');
  await review.getByRole('button', { name: 'Ответить' }).click();
  await review.getByText('Ответ организации').waitFor();
  await page.getByTestId('rating-summary').getByText(/5,0 из 5/).waitFor();
  await checkAccessibility(page, 'program (reviews)');
  await capture(page, 'program-reviews');
  await provider.close();

  const operator = await person();
  ({ page } = operator);
  await signIn(page, DEMO.municipal);
  await page.goto(`${BASE}/catalog?q=${encodeURIComponent('Ладья')}`);
  await page.getByRole('link', { name: REVIEWED.title }).click();
  const moderated = page.locator('li.review', { hasText: 'Артём ходит с удовольствием' });
  await moderated.getByRole('button', { name: 'Скрыть отзыв' }).click();
  await moderated.getByLabel('Причина').fill('Проверка модерации');
  await moderated.locator('form').getByRole('button', { name: 'Скрыть отзыв' }).click();
  await moderated.getByText('Скрыт модератором').waitFor();
  await moderated.getByRole('button', { name: 'Показать отзыв' }).click();
  await moderated.getByLabel('Причина').fill('Отзыв в порядке');
  await moderated.locator('form').getByRole('button', { name: 'Показать отзыв' }).click();
  await moderated.getByText('Скрыт модератором').waitFor({ state: 'detached' });
  await operator.close();
}, { story: false });

await journey('the operators\' dashboard draws its charts and exports each table as CSV', async () => {
  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.municipal);
  await page.getByRole('link', { name: 'Сводка' }).click();
  await page.getByRole('heading', { name: /Деньги периода/ }).waitFor();
  await page.getByRole('heading', { name: /Заявки по дням/ }).waitFor();
  const charts = await page.locator('svg[role="img"]').count();
  assert(charts >= 2, `${charts} charts drawn`);
  const figure = page.getByTestId('period-money');
  await figure.getByText('Числа таблицей').click();
  await figure.getByRole('rowheader', { name: 'Бюджет' }).waitFor();
  await checkAccessibility(page, 'dashboard');
  await capture(page, 'dashboard');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'Скачать CSV' }).click(),
  ]);
  assert(download.suggestedFilename() === 'period-money.csv', download.suggestedFilename());
  const bytes = readFileSync(await download.path());
  assert(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, 'the CSV has no UTF-8 byte order mark');
  const text = bytes.toString('utf8');
  assert(/^\uFEFFПоказатель;Сумма\r\nБюджет;\d+,\d\d\r\n/.test(text), `the CSV reads:\n${text}`);

  const [days] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('applications-per-day').getByRole('button', { name: 'Скачать CSV' }).click(),
  ]);
  const perDay = readFileSync(await days.path(), 'utf8').trim().split('\r\n');
  assert(perDay.length === 31, `${perDay.length} lines in the CSV of applications per day`);
  // (`trim` also drops the byte order mark, checked above.)
  assert(perDay[0] === 'День;Подано;Принято;Отклонено', `the header reads ${perDay[0]}`);

  // The public statistics: coverage by month (a chart), by direction and the most wanted
  // programs (tables), each exported as CSV.
  await page.getByRole('heading', { name: /Охват детей занятиями по месяцам/ }).waitFor();
  const coverage = page.getByTestId('coverage-by-month');
  await coverage.getByText('Числа таблицей').click();
  await coverage.getByRole('columnheader', { name: 'Охват занятиями' }).waitFor();
  const [coverageCsv] = await Promise.all([
    page.waitForEvent('download'),
    coverage.getByRole('button', { name: 'Скачать CSV' }).click(),
  ]);
  const coverageLines = readFileSync(await coverageCsv.path(), 'utf8').trim().split('\r\n');
  assert(coverageLines.length >= 2, `${coverageLines.length} lines in the CSV of coverage`);
  // The demo municipality has its population entered: the share is a number, `12,34`.
  assert(/;\d+,\d\d$/.test(coverageLines[coverageLines.length - 1]), `coverage reads ${coverageLines.at(-1)}`);
  const directions = page.getByTestId('coverage-by-direction');
  await directions.getByRole('rowheader', { name: 'Техническая' }).waitFor();
  const wanted = page.getByTestId('most-wanted');
  await wanted.getByRole('heading', { name: /Самые востребованные программы/ }).waitFor();
  const wantedRows = await wanted.locator('tbody tr').count();
  assert(wantedRows >= 1, `${wantedRows} programs among the most wanted`);
  const [wantedCsv] = await Promise.all([
    page.waitForEvent('download'),
    wanted.getByRole('button', { name: 'Скачать CSV' }).click(),
  ]);
  assert(wantedCsv.suggestedFilename() === 'most-wanted.csv', wantedCsv.suggestedFilename());
  const wantedText = readFileSync(await wantedCsv.path(), 'utf8');
  assert(wantedText.startsWith('\uFEFFПрограмма;Организация;Направленность;Заявок;Принято;Свободных мест\r\n'),
    `the CSV of the most wanted reads:\n${wantedText}`);
  await operator.close();
}, { story: false });

await journey('a family withdraws an application and ends an enrollment; the money returns', async () => {
  const demo = await person();
  const { page } = demo;
  await signIn(page, DEMO.family);
  await page.waitForURL((url) => url.pathname === '/account');

  const submitted = page.locator('li.application-card', { hasText: 'Софья' });
  await submitted.getByRole('button', { name: 'Отозвать заявку' }).click();
  await submitted.getByText('Отозвана').waitFor();

  const enrolled = page.locator('li.application-card', { hasText: 'Артём' });
  await enrolled.getByRole('button', { name: 'Прекратить обучение' }).click();
  await enrolled.getByLabel('Комментарий').fill('переезжаем в другой район');
  await enrolled.locator('form').getByRole('button', { name: 'Прекратить обучение' }).click();
  await enrolled.getByText('Обучение прекращено').first().waitFor();
  await enrolled.getByText('по заявлению родителя').waitFor();

  await page
    .locator('li.child-card', { hasText: 'Артём' })
    .getByRole('link', { name: 'История сертификата' })
    .click();
  await page.locator('tr', { hasText: 'Возврат из резерва' }).waitFor();
  await demo.close();
}, { story: false });

await journey('the municipal operator suspends and resumes a certificate', async () => {
  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.municipal);
  await page.getByLabel('Показать').selectOption({ label: 'Финансирование' });
  let card = page.locator('li', { hasText: 'Артём' });
  await card.getByRole('button', { name: 'Приостановить' }).click();
  await card.getByLabel('Основание').fill('заявление родителя о перерыве');
  await card.locator('form').getByRole('button', { name: 'Приостановить' }).click();
  await card.waitFor({ state: 'detached' });

  await page.getByLabel('Показать').selectOption({ label: 'Приостановлен' });
  card = page.locator('li', { hasText: 'Артём' });
  await card.getByRole('button', { name: 'Возобновить' }).click();
  await card.getByLabel('Основание').fill('перерыв окончен');
  await card.locator('form').getByRole('button', { name: 'Возобновить' }).click();
  await card.waitFor({ state: 'detached' });
  await operator.close();
}, { story: false });

await journey('a family reads its notifications: the bell counts the unread, marking read clears it', async () => {
  const demo = await person();
  const { page } = demo;
  await signIn(page, DEMO.family);
  await page.waitForURL((url) => url.pathname === '/account');
  // The certificate was suspended and resumed, the enrollment ended: the family has heard of it.
  const bell = page.getByRole('link', { name: /^Уведомления, непрочитанных: \d+$/ });
  await bell.waitFor();
  const before = Number(await page.getByTestId('unread-count').textContent());
  assert(before >= 2, `${before} unread notifications`);
  await bell.click();
  await page.getByRole('heading', { name: 'Уведомления', level: 1 }).waitFor();
  const unread = page.locator('li.notification.unread');
  await unread.first().waitFor();
  assert((await unread.count()) >= 1, 'no unread notification shown');
  await page.locator('li.notification', { hasText: 'Артём' }).first().waitFor();
  await checkAccessibility(page, 'notifications');
  await capture(page, 'notifications');

  await unread.first().getByRole('button', { name: 'Прочитано' }).click();
  await page.getByRole('link', { name: `Уведомления, непрочитанных: ${before - 1}` }).waitFor();
  await page.getByRole('button', { name: 'Отметить все прочитанными' }).click();
  await page.getByRole('link', { name: 'Уведомления', exact: true }).waitFor();
  await page.getByTestId('unread-count').waitFor({ state: 'detached' });
  assert((await unread.count()) === 0, 'notifications left unread');
  await demo.close();
}, { story: false });

await journey('the links of letters: a cut link says so, a stale token is refused in words', async () => {
  const visitor = await person();
  const { page } = visitor;
  await page.goto(`${BASE}/invitation`);
  await page.getByRole('heading', { name: 'Приглашение в организацию', level: 1 }).waitFor();
  await page.getByText('В ссылке нет кода').waitFor();
  await checkAccessibility(page, 'invitation');

  await page.goto(`${BASE}/activate#no-such-token`);
  await page.getByRole('heading', { name: 'Вход в личный кабинет семьи', level: 1 }).waitFor();
  await page.getByLabel('Новый пароль').fill('надёжный-пароль-1');
  await page.getByLabel('Пароль ещё раз').fill('другой-пароль-2');
  await page.getByRole('button', { name: 'Задать пароль' }).click();
  await page.getByText('Пароли не совпадают.').waitFor();
  await page.getByLabel('Пароль ещё раз').fill('надёжный-пароль-1');
  await page.getByRole('button', { name: 'Задать пароль' }).click();
  await page.getByRole('alert').waitFor();
  await checkAccessibility(page, 'activate');
  await capture(page, 'activate');
  await visitor.close();
}, { story: false });

await journey('the regional operator keeps the registry of providers: field errors, an edit, a stale edit, history, an invitation', async () => {
  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.regional);
  await page.getByRole('link', { name: 'Организации' }).click();
  await page.getByRole('heading', { name: 'Организации', level: 1 }).waitFor();
  await page.locator('li.card', { hasText: 'Созвездие' }).first().waitFor();
  // The list narrows as a name or an ИНН is typed.
  await page.getByLabel('Найти организацию').fill('созвезд');
  await page.locator('li.card', { hasText: 'Созвездие' }).first().waitFor();
  assert((await page.locator('li.card').count()) === 1, 'the search left other providers in the list');
  await page.getByText('Внести новую организацию').click();
  const form = page.locator('details.new-provider');

  const valid = inn(100_000_000 + (Date.now() % 899_999_999));
  // The check digit off by one: the server names the field, the page says why next to it.
  const wrong = valid.slice(0, 9) + String((Number(valid[9]) + 1) % 10);
  const name = `Центр «Эврика» ${RUN}`;
  await form.getByLabel('Муниципалитет').selectOption({ label: 'г. Омск' });
  await form.getByLabel('Наименование').fill(name);
  await form.getByLabel('Организационно-правовая форма').selectOption('АНО ДО');
  await form.getByLabel('ИНН', { exact: true }).fill(wrong);
  await form.getByLabel('Адрес').fill('г. Омск, ул. Ленина, д. 5');
  await form.getByLabel('Телефон').fill('+7 (3812) 20-30-40');
  await form.getByLabel('Электронная почта').fill(`evrika-${RUN}@example.ru`);
  await form.getByLabel('Лицензия', { exact: true }).fill('Л035-01298-55/00194372');
  await page.getByRole('button', { name: 'Внести в реестр' }).click();
  await page.locator('#inn-error', { hasText: 'Контрольные цифры ИНН не сходятся' }).waitFor();
  assert((await page.getByLabel('ИНН', { exact: true }).getAttribute('aria-invalid')) === 'true', 'the ИНН is not marked invalid');
  await checkAccessibility(page, 'providers');
  await capture(page, 'providers');

  await page.getByLabel('ИНН', { exact: true }).fill(valid);
  await page.getByRole('button', { name: 'Внести в реестр' }).click();
  await page.waitForURL((url) => /^\/operator\/providers\/[0-9a-f-]{36}$/.test(url.pathname));
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  const record = page.url();

  // Someone else opens the same entry and changes it first.
  const other = await page.context().newPage();
  await other.goto(record);
  await other.getByLabel('Телефон').fill('+7 (3812) 20-30-41');
  await other.getByLabel('Основание изменения').fill('новый номер приёмной');
  await other.getByRole('button', { name: 'Сохранить изменения' }).click();
  await other.getByText('Изменения сохранены.').waitFor();
  await other.close();

  await page.getByLabel('Телефон').fill('+7 (3812) 20-30-49');
  await page.getByLabel('Основание изменения').fill('уточнён телефон');
  await page.getByRole('button', { name: 'Сохранить изменения' }).click();
  await page.getByRole('alert').filter({ hasText: 'запись изменил кто-то другой' }).waitFor();
  await page.getByRole('button', { name: 'Загрузить текущую версию' }).click();
  // The form shows the colleague's version.
  await page.waitForFunction(() => document.getElementById('phone')?.value === '+7 (3812) 20-30-41');
  await page.getByLabel('Телефон').fill('+7 (3812) 20-30-49');
  await page.getByLabel('Основание изменения').fill('уточнён телефон');
  await page.getByRole('button', { name: 'Сохранить изменения' }).click();
  await page.getByText('Изменения сохранены.').waitFor();
  const history = page.locator('section', { has: page.getByRole('heading', { name: 'История записи' }) });
  await history.getByText('уточнён телефон').waitFor();
  await history.getByText('новый номер приёмной').waitFor();

  const invitations = page.locator('section', { has: page.getByRole('heading', { name: 'Приглашения сотрудников' }) });
  await invitations.getByLabel('Фамилия, имя и отчество').fill('Петрова Анна Сергеевна');
  await invitations.getByLabel('Электронная почта').fill(`teacher-${RUN}@example.ru`);
  await invitations.getByRole('button', { name: 'Пригласить' }).click();
  await invitations.getByText('Приглашение отправлено.').waitFor();
  await invitations.locator('td', { hasText: `teacher-${RUN}@example.ru` }).waitFor();
  await checkAccessibility(page, 'provider-record');
  await capture(page, 'provider-record');
  await operator.close();
}, { story: false });

await journey('an operator imports registry files: bad cells in a table, an unsupported file in words; exports download', async () => {
  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.municipal);
  await page.getByRole('link', { name: 'Файлы' }).click();
  await page.getByRole('heading', { name: 'Файлы реестров', level: 1 }).waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Скачать: Организации' }).click(),
  ]);
  assert(download.suggestedFilename() === 'providers.csv', download.suggestedFilename());
  const exported = readFileSync(await download.path());
  assert(exported[0] === 0xef && exported[1] === 0xbb && exported[2] === 0xbf, 'the export has no byte order mark');
  const exportedText = exported.toString('utf8');
  assert(exportedText.startsWith('\uFEFFмуниципалитет;наименование;'), `the export reads:\n${exportedText.slice(0, 200)}`);
  assert(exportedText.includes('Созвездие'), 'the demo provider is not in the export');

  // The export imports back unchanged.
  await page.getByLabel('Что в файле').selectOption({ label: 'Организации' });
  await page.getByLabel('Файл', { exact: true }).setInputFiles({ name: 'providers.csv', mimeType: 'text/csv', buffer: exported });
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await page.getByText('Файл загружен.').waitFor();
  const unchanged = page.locator('dl div', { hasText: 'Без изменений' }).locator('dd');
  assert(Number(await unchanged.textContent()) >= 1, 'no row counted unchanged');

  // One bad row: nothing is written, every bad cell is listed by row and column.
  const lines = exportedText.replace(/^\uFEFF/, '').split('\r\n');
  const header = lines[0].split(';');
  const cells = lines[1].split(';');
  cells[header.indexOf('ИНН')] = '12345';
  cells[header.indexOf('телефон')] = 'звоните';
  const bad = '\uFEFF' + [lines[0], cells.join(';')].join('\r\n') + '\r\n';
  await page.getByLabel('Файл', { exact: true }).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await page.getByRole('alert').filter({ hasText: 'Файл не загружен' }).waitFor();
  const errors = page.locator('table.import-errors tbody tr');
  await errors.first().waitFor();
  const rows = await errors.allTextContents();
  assert(rows.some((r) => r.startsWith('2') && r.includes('ИНН')), `the report reads:\n${rows.join('\n')}`);
  assert(rows.some((r) => r.includes('телефон')), `the report reads:\n${rows.join('\n')}`);
  await checkAccessibility(page, 'registry-files');
  await capture(page, 'registry-files');

  // A spreadsheet goes as XLSX; a server without XLSX refuses it, and the page says what to do.
  await page.getByLabel('Файл', { exact: true }).setInputFiles({ name: 'providers.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004 not a workbook') });
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await page.getByRole('alert').filter({ hasText: /не принимает файлы этого формата|Файл не загружен|не удалось/i }).waitFor();
  await operator.close();
}, { story: false });

await journey('the desk: provider staff register a family, issue the certificate and apply for the child with consent', async () => {
  // A free program of the demo provider with a seat for an eight-year-old.
  const found = await (await fetch(`${BASE}/api/v1/programs?funding=budget&age=8&free_seats=true&limit=100`)).json();
  const program = found.items.find((p) => p.provider_name.includes('Созвездие'));
  assert(program, 'no free program of the demo provider for an eight-year-old');
  const detail = await (await fetch(`${BASE}/api/v1/programs/${program.id}`)).json();
  const group = detail.groups.find((g) => g.open && g.seats_left > 0);
  assert(group, `no open group with seats in ${program.title}`);

  const staff = await person();
  const { page } = staff;
  await signIn(page, DEMO.provider);
  await page.getByRole('link', { name: 'Приём семей' }).click();
  await page.getByRole('heading', { name: 'Приём семей', level: 1 }).waitFor();
  const register = page.locator('section', { has: page.getByRole('heading', { name: 'Зарегистрировать семью' }) });
  await register.getByLabel('Фамилия, имя и отчество родителя').fill('Сидорова Ольга Петровна');
  await register.getByLabel('Электронная почта родителя').fill(`desk-${RUN}@example.ru`);
  await register.getByLabel('Фамилия', { exact: true }).fill('Сидоров');
  await register.getByLabel('Имя', { exact: true }).fill('Егор');
  await register.getByLabel('Дата рождения').fill(birthDate(8, 30));
  await register.getByLabel('СНИЛС').fill(snils(300_000_000 + (Date.now() % 99_999_999)));
  await register.getByLabel('Где живёт ребёнок').selectOption({ label: 'г. Омск' });
  await register.getByLabel('Документ или заявление').fill('Паспорт родителя проверен');
  await register.getByRole('button', { name: 'Зарегистрировать' }).click();
  await register.getByText('Семья зарегистрирована').waitFor();
  await register.getByRole('button', { name: 'Выдать сертификат' }).click();
  await register.getByText('Сертификат выдан').waitFor();

  const apply = page.locator('section', { has: page.getByRole('heading', { name: 'Подать заявку за семью' }) });
  const child = await apply.getByLabel('Номер ребёнка').inputValue();
  assert(/^[0-9a-f-]{36}$/.test(child), `the child's number reads ${child}`);
  // Staff choose among their own open groups.
  await apply.getByLabel('Группа', { exact: true }).selectOption(group.id);
  await apply.getByLabel('Как дано согласие').selectOption({ label: 'Письменное заявление' });
  await apply.getByLabel('Документ или заявление').fill(`Заявление № ${RUN}`);
  await apply.getByRole('button', { name: 'Подать заявку' }).click();
  await apply.getByText('Заявка подана.').waitFor();
  // The same child cannot be filed twice into the group: the refusal is in words.
  await apply.getByRole('button', { name: 'Подать заявку' }).click();
  await apply.getByRole('alert').waitFor();
  await checkAccessibility(page, 'desk');
  await capture(page, 'desk');

  // The provider's inbox has the application.
  await page.getByRole('link', { name: 'Заявки' }).click();
  await page.locator('li', { hasText: 'Егор' }).first().waitFor();
  await staff.close();
}, { story: false });

await journey('the desk: an operator finds the program by its title and chooses the group from a list', async () => {
  // A free program with a seat for an eight-year-old in Omsk, the municipal operator's own.
  const found = await (await fetch(`${BASE}/api/v1/programs?funding=budget&age=8&free_seats=true&limit=100`)).json();
  const program = found.items.find((p) => p.provider_name.includes('Созвездие'));
  assert(program, 'no free program for an eight-year-old');
  const detail = await (await fetch(`${BASE}/api/v1/programs/${program.id}`)).json();
  const group = detail.groups.find((g) => g.open && g.seats_left > 0);
  assert(group, `no open group with seats in ${program.title}`);

  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.municipal);
  await page.getByRole('link', { name: 'Приём семей' }).click();
  await page.getByRole('heading', { name: 'Приём семей', level: 1 }).waitFor();
  const register = page.locator('section', { has: page.getByRole('heading', { name: 'Зарегистрировать семью' }) });
  await register.getByLabel('Фамилия, имя и отчество родителя').fill('Кузнецова Анна Игоревна');
  await register.getByLabel('Электронная почта родителя').fill(`desk-operator-${RUN}@example.ru`);
  await register.getByLabel('Фамилия', { exact: true }).fill('Кузнецов');
  await register.getByLabel('Имя', { exact: true }).fill('Матвей');
  await register.getByLabel('Дата рождения').fill(birthDate(8, 60));
  await register.getByLabel('СНИЛС').fill(snils(400_000_000 + (Date.now() % 99_999_999)));
  await register.getByLabel('Где живёт ребёнок').selectOption({ label: 'г. Омск' });
  await register.getByLabel('Документ или заявление').fill('Паспорт родителя проверен');
  await register.getByRole('button', { name: 'Зарегистрировать' }).click();
  await register.getByText('Семья зарегистрирована').waitFor();
  await register.getByRole('button', { name: 'Выдать сертификат' }).click();
  await register.getByText('Сертификат выдан').waitFor();

  const apply = page.locator('section', { has: page.getByRole('heading', { name: 'Подать заявку за семью' }) });
  // The operator's municipality is chosen: its programs' groups are listed at first.
  const programsListed = async () => new Set((await apply.locator('#apply-group option').allTextContents())
    .slice(1).map((label) => label.split(' — ')[0])).size;
  await page.waitForFunction(() => document.querySelectorAll('#apply-group option').length > 2);
  const before = await programsListed();
  // The title narrows the list; Enter searches instead of filing the form.
  await apply.getByLabel('Программа', { exact: true }).fill(program.title);
  await apply.getByLabel('Программа', { exact: true }).press('Enter');
  await apply.locator('#apply-group option', { hasText: `${program.title} — ` }).first().waitFor({ state: 'attached' });
  await page.waitForFunction((n) => new Set([...document.querySelectorAll('#apply-group option')].slice(1)
    .map((o) => o.textContent.split(' — ')[0])).size < n, before);
  assert((await programsListed()) < before, 'the search did not narrow the list');
  await apply.getByLabel('Группа', { exact: true }).selectOption(group.id);
  await apply.getByLabel('Как дано согласие').selectOption({ label: 'Письменное заявление' });
  await apply.getByLabel('Документ или заявление').fill(`Заявление № ${RUN}-o`);
  await apply.getByRole('button', { name: 'Подать заявку' }).click();
  await apply.getByText('Заявка подана.').waitFor();
  await checkAccessibility(page, 'desk (operator)');
  await operator.close();
}, { story: false });

await journey('a provider edits a group: locked dates, a colleague\'s change and the capacity are said in words', async () => {
  // A group of the demo provider (the chess club's and others) with an accepted enrollment: the
  // demo family's, or the one this run's story made.
  const chess = await (await fetch(`${BASE}/api/v1/programs?q=${encodeURIComponent('Ладья')}&limit=100`)).json();
  const providerId = chess.items.find((p) => p.title === REVIEWED.title)?.provider_id;
  assert(providerId, `no program ${REVIEWED.title}`);
  const own = await (await fetch(`${BASE}/api/v1/programs?provider_id=${providerId}&limit=100`)).json();
  let program;
  let group;
  for (const item of own.items) {
    const detail = await (await fetch(`${BASE}/api/v1/programs/${item.id}`)).json();
    for (const g of detail.groups) {
      const taken = g.capacity - g.seats_left;
      if (taken >= 1 && (!group || taken > group.taken)) {
        program = item;
        group = { ...g, taken };
      }
    }
  }
  assert(group, 'no group of the demo provider with a seat taken');

  const staff = await person();
  const { page } = staff;
  await signIn(page, DEMO.provider);
  await page.goto(`${BASE}/provider/programs/${program.id}`);
  await page.getByRole('heading', { name: program.title, level: 1 }).waitFor();
  await page.getByRole('button', { name: `Изменить «${group.name}»` }).click();
  const editor = page.locator('#group-editor');
  const capacity = editor.getByLabel('Мест в группе');
  await editor.getByRole('heading', { name: /Изменить группу/ }).waitFor();
  await page.waitForFunction((want) => document.querySelector('#edit-group-capacity')?.value === want, String(group.capacity));

  // The dates are in the contract of an accepted enrollment: refused, said next to the dates.
  const end = new Date(`${group.end_date}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 7);
  await editor.getByLabel('Окончание занятий').fill(end.toISOString().slice(0, 10));
  await editor.getByRole('button', { name: 'Сохранить изменения' }).click();
  await editor.locator('.field', { hasText: 'Окончание занятий' }).getByText('Даты нельзя изменить').waitFor();
  await editor.getByLabel('Окончание занятий').fill(group.end_date);

  // Fewer seats than are taken: refused, said next to the capacity.
  await capacity.fill(String(Math.max(group.taken - 1, 0)));
  await editor.getByRole('button', { name: 'Сохранить изменения' }).click();
  const capacityField = editor.locator('.field', { hasText: 'Мест в группе' });
  if (group.taken >= 2) {
    await capacityField.getByText('Мест не может быть меньше').waitFor();
  } else {
    await editor.locator('.field.has-error', { hasText: 'Мест в группе' }).waitFor();
  }
  await checkAccessibility(page, 'group edit (refused)');
  await capture(page, 'group-edit');

  // A colleague saves the group first: this edit is refused with a way to load theirs.
  const changed = await page.evaluate(async (id) => {
    const { access_token: token } = JSON.parse(localStorage.getItem('navigator.session'));
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const read = await fetch(`/api/v1/groups/${id}`, { headers });
    const g = await read.json();
    const body = {
      name: g.name, start_date: g.start_date, end_date: g.end_date, schedule: g.schedule,
      teacher: 'Коллегина Анна Сергеевна', capacity: g.capacity, open: g.open,
    };
    const put = await fetch(`/api/v1/groups/${id}`, {
      method: 'PUT', headers: { ...headers, 'If-Match': read.headers.get('ETag') }, body: JSON.stringify(body),
    });
    return put.status;
  }, group.id);
  assert(changed === 200, `the colleague's edit answered ${changed}`);
  const wanted = group.capacity + 3;
  await capacity.fill(String(wanted));
  await editor.getByRole('button', { name: 'Сохранить изменения' }).click();
  await editor.getByRole('alert').filter({ hasText: 'изменил кто-то другой' }).waitFor();
  await editor.getByRole('button', { name: 'Загрузить текущую версию группы' }).click();
  await page.waitForFunction(() => document.querySelector('#edit-group-teacher')?.value === 'Коллегина Анна Сергеевна');

  // Made again on the current version, the new capacity is saved and shown in the table.
  await capacity.fill(String(wanted));
  await editor.getByRole('button', { name: 'Сохранить изменения' }).click();
  await page.getByText('Группа сохранена.').waitFor();
  const row = page.getByRole('row', { name: new RegExp(group.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  await row.filter({ hasText: String(wanted) }).waitFor();
  const after = await (await fetch(`${BASE}/api/v1/programs/${program.id}`)).json();
  const saved = after.groups.find((g) => g.id === group.id);
  assert(saved.capacity === wanted, `the group's capacity is ${saved.capacity}, not ${wanted}`);
  assert(saved.end_date === group.end_date, 'the locked dates changed');
  await staff.close();
}, { story: false });

await journey('the audit log: an operator sees the decisions and money of the municipality, filtered', async () => {
  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.municipal);
  await page.getByRole('link', { name: 'Журнал действий' }).click();
  await page.getByRole('heading', { name: 'Журнал действий', level: 1 }).waitFor();
  const rows = page.locator('table.audit-log tbody tr');
  await rows.first().waitFor();
  assert((await rows.count()) >= 2, 'the audit log shows fewer than two entries');

  // The demo's certificates were activated by the municipal operator, with the reason.
  await page.getByLabel('Действие').selectOption({ label: 'Сертификат активирован' });
  await page.waitForFunction(() => {
    const heads = [...document.querySelectorAll('table.audit-log tbody th')].map((th) => th.textContent);
    return heads.length > 0 && heads.every((h) => h === 'Сертификат активирован');
  });
  await page.locator('table.audit-log tbody tr', { hasText: 'документы проверены' }).first().waitFor();
  await checkAccessibility(page, 'audit log');
  await capture(page, 'audit-log');

  // Money movements carry their amount, formatted as money.
  await page.getByLabel('Действие').selectOption({ label: 'Резервирование' });
  await page.waitForFunction(() => {
    const heads = [...document.querySelectorAll('table.audit-log tbody th')].map((th) => th.textContent);
    return heads.length > 0 && heads.every((h) => h === 'Резервирование');
  });
  const amount = await page.locator('table.audit-log tbody tr td.num').first().textContent();
  assert(/^\d[\d\u00a0]*,\d\d\u00a0₽$/.test(amount), `the amount reads «${amount}»`);

  // A date range before the demo's story: nothing.
  await page.getByLabel('Действие').selectOption({ label: 'Все действия' });
  await page.getByLabel('С даты').fill('2000-01-01');
  await page.getByLabel('По дату').fill('2000-01-31');
  await page.getByText('Записей нет.').waitFor();
  await operator.close();
}, { story: false });

await journey('the audit log: the regional operator narrows it to one municipality', async () => {
  const operator = await person();
  const { page } = operator;
  await signIn(page, DEMO.regional);
  await page.getByRole('link', { name: 'Журнал действий' }).click();
  await page.getByRole('heading', { name: 'Журнал действий', level: 1 }).waitFor();
  const municipalities = () => [...document.querySelectorAll('table.audit-log tbody tr')]
    .map((tr) => tr.children[4].textContent);
  // Every municipality at first: the demo's story happens in Omsk.
  await page.waitForFunction(`(${municipalities})().includes('г. Омск')`);
  await page.getByLabel('Муниципалитет').selectOption({ label: 'Осинниковский городской округ' });
  await page.waitForFunction(`(() => {
    const cells = (${municipalities})();
    return document.body.textContent.includes('Записей нет.')
      || (cells.length > 0 && cells.every((c) => c === 'Осинниковский городской округ'));
  })()`);
  await page.getByLabel('Муниципалитет').selectOption({ label: 'г. Омск' });
  await page.waitForFunction(`(() => {
    const cells = (${municipalities})();
    return cells.length > 0 && cells.every((c) => c === 'г. Омск');
  })()`);
  await checkAccessibility(page, 'audit log (regional)');
  await operator.close();
}, { story: false });

await browser.close();

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`\nscreenshots: ${SCREENSHOTS}`);
console.log(`duration: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
