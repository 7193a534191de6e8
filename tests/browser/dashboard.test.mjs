// Browser test of the dashboard: a real `citydip serve` on a free loopback port with the
// reference data, driven by playwright-core through Debian's chromium (never a downloaded
// browser). Logs in, switches language, adds an event through the form (first with a bad date, to
// see the importer's message at the field), finds it on the timeline, checks that HTML typed into
// a field is shown as text, prints the partner briefing to one PDF page, and saves a screenshot of
// every page in both languages.
//
// node dashboard.test.mjs --citydip BIN --source DIR --web-root DIR --out DIR [--chromium BIN]
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

function options() {
  const args = process.argv.slice(2);
  const out = { chromium: '/usr/bin/chromium' };
  for (let i = 0; i < args.length; i += 2) out[args[i].replace(/^--/, '').replace(/-/g, '_')] = args[i + 1];
  for (const required of ['citydip', 'source', 'web_root', 'out']) {
    if (!out[required]) throw new Error(`missing --${required.replace(/_/g, '-')}`);
  }
  return out;
}

const opts = options();
const require = createRequire(path.resolve(opts.source, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const PASSWORD = 'browser test password';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citydip-browser-'));
const db = path.join(tmp, 'registry.db');
fs.mkdirSync(opts.out, { recursive: true });

function citydip(args, input) {
  const result = spawnSync(opts.citydip, ['--db', db, ...args], { input, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`citydip ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.citydip, ['--db', db, 'serve', '--port', '0', '--web-root', opts.web_root],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/serving (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve({ child, base: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
}

async function waitForPage(page, name) {
  await page.waitForSelector(`main[data-ready="${name}"]`, { timeout: 20000 });
  // Charts draw synchronously after the page is inserted; give the canvas a frame.
  await page.waitForTimeout(300);
}

async function go(page, base, route) {
  await page.evaluate(() => { document.querySelector('main').removeAttribute('data-ready'); });
  if (new URL(page.url()).hash === `#/${route}`) {
    await page.reload();
  } else {
    await page.goto(`${base}/#/${route}`);
  }
  await waitForPage(page, route.split('/')[0]);
}

async function main() {
  // The reference data, as `make demo` loads it.
  citydip(['init']);
  const data = path.join(opts.source, 'data', 'seoul-china');
  citydip(['import', ...['cities', 'organizations', 'partner_relations', 'memberships', 'officials',
    'mechanisms', 'events'].map((name) => path.join(data, `${name}.csv`))]);
  // The shipped GDELT samples, for the barometer's national index (when this build reads GDELT).
  const samples = path.join(opts.source, 'data', 'gdelt', 'samples');
  if (fs.existsSync(samples) && spawnSync(opts.citydip, ['gdelt', '--help']).status === 0) {
    citydip(['--quiet', 'gdelt', 'ingest', samples]);
  }
  citydip(['user', 'add', 'editor1', '--role', 'editor', '--password-stdin'], `${PASSWORD}\n`);
  citydip(['user', 'add', 'admin1', '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`);

  const { child, base } = await startServer();
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A 401 or 400 the page asked for (before login, the deliberately bad form) is logged by
      // chromium as a failed resource; anything else is a problem.
      if (message.type() === 'error' && !/status of (401|400)/.test(message.text())) {
        problems.push(`console error: ${message.text()}`);
      }
    });
    // Anything fetched from elsewhere would break "nothing is loaded from the internet".
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) {
        problems.push(`request to another origin: ${request.url()}`);
      }
    });

    // 1. Not logged in: the login dialog; a wrong password is refused.
    await page.goto(`${base}/`);
    await page.waitForSelector('#login-dialog[open]');
    await page.fill('#login-username', 'editor1');
    await page.fill('#login-password', 'wrong password!!');
    await page.click('#login-submit');
    await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);
    assert.match(await page.textContent('#login-error'), /wrong user name or password/);
    await page.screenshot({ path: path.join(opts.out, 'login.png') });

    // 2. Log in.
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await waitForPage(page, 'overview');
    assert.equal(await page.isVisible('#login-dialog[open]'), false);
    assert.match(await page.textContent('#who'), /editor1 \(editor\)/);
    const events = Number(await page.textContent('#figure-events .figure-value'));
    assert.ok(events > 0, 'the overview counts the reference events');

    // 3. Switch language: Korean, then English again.
    await page.click('#lang-ko');
    await waitForPage(page, 'overview');
    assert.equal(await page.textContent('#nav-overview'), '개요');
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    await page.click('#lang-en');
    await waitForPage(page, 'overview');
    assert.equal(await page.textContent('#nav-overview'), 'Overview');

    // 4. Add an event through the form; first with a bad date: the importer's message at the field.
    await go(page, base, 'records/events');
    await page.click('#record-add');
    await page.fill('#field-date', '2031-13');
    await page.fill('#field-home_city', 'Seoul');
    await page.fill('#field-partner_city', 'Beijing');
    await page.selectOption('#field-event_type', 'forum');
    await page.fill('#field-title_en', 'Browser test forum <b>not bold</b>');
    await page.fill('#field-title_ko', '브라우저 시험 포럼');
    await page.fill('#field-source_url', 'https://example.org/browser-test');
    await page.click('#record-save');
    await page.waitForFunction(() => document.querySelector('#error-date').textContent.length > 0);
    const dateError = await page.textContent('#error-date');
    assert.match(dateError, /2031-13/, `the date error names the bad value: ${dateError}`);
    assert.equal(await page.getAttribute('#field-date', 'aria-invalid'), 'true');
    await page.screenshot({ path: path.join(opts.out, 'records-form-error.png'), fullPage: true });
    await page.fill('#field-date', '2031-05-20');
    await page.click('#record-save');
    await page.waitForSelector('#record-saved');

    // 5. HTML typed into a field is shown as text, never as markup.
    await page.fill('#records-q', 'Browser test forum');
    await page.click('#records-search button[type=submit]');
    await page.waitForFunction(() => /not bold/.test(document.querySelector('#record-list').textContent));
    assert.equal(await page.locator('#records-table b').count(), 0, 'no <b> element was created');
    assert.match(await page.textContent('#records-table'), /<b>not bold<\/b>/);

    // 6. The new event is on the timeline: year 2031, one forum.
    await go(page, base, 'timeline');
    await page.click('#timeline-data summary');
    const row = page.locator('#timeline-table tr', { hasText: '2031' });
    assert.equal(await row.count(), 1, 'the timeline has a 2031 row');
    assert.match(await row.textContent(), /Forum 1/i);
    assert.ok(await page.locator('.chart canvas').count() > 0, 'the timeline chart is drawn');

    // 7. Screenshots of every page, in both languages.
    const pages = ['overview', 'timeline', 'barometer', 'network', 'strategy', 'profile/Beijing,CHN', 'records/events'];
    for (const language of ['en', 'ko']) {
      await page.click(`#lang-${language}`);
      for (const route of pages) {
        await go(page, base, route);
        const name = route.split('/')[0];
        await page.screenshot({ path: path.join(opts.out, `${name}-${language}.png`), fullPage: true });
      }
    }
    // Korean labels really are on the page (and the fonts draw them: see the screenshots).
    assert.match(await page.textContent('#nav'), /연표/);

    // 8. The partner briefing prints on one page.
    await go(page, base, 'profile/Beijing,CHN');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync(path.join(opts.out, 'profile-briefing.pdf'), pdf);
    const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pageCount, 1, `the briefing prints on one page (got ${pageCount})`);
    await page.emulateMedia({ media: 'screen' });

    // 9. The audit page (admin): the form's write is there, with its author.
    await page.click('#logout');
    await page.waitForSelector('#login-dialog[open]');
    await page.fill('#login-username', 'admin1');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await waitForPage(page, 'profile');
    await go(page, base, 'admin');
    assert.match(await page.textContent('#audit-table'), /editor1/);
    assert.match(await page.textContent('#audit-table'), /Browser test forum/);
    await page.screenshot({ path: path.join(opts.out, 'admin-ko.png'), fullPage: true });

    assert.deepEqual(problems, [], 'no page errors, console errors or foreign requests');
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`browser test passed; screenshots in ${opts.out}`);
}

main().catch((error) => {
  console.error(error.stack || error.message);
  process.exit(1);
});
