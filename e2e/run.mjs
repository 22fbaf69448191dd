// End-to-end checks of a built koki site in Debian's Chromium (playwright-core).
//
//   node e2e/run.mjs --site DIR --base /katalog/ --out DIR [--vnu]
//
// Serves DIR under the base path on 127.0.0.1 (ephemeral port), then checks: the search flow
// (query → hits with snippets and facet counts; tick a facet → list and URL change; reload
// restores state; keyboard-only use), key pages render without console errors, axe-core finds
// no WCAG 2.1 AA violations, the network log has no request to any other host, screenshots at
// phone and desktop width. With --vnu, the Nu Html Checker validates every generated page.
// Prints a JSON summary as the last line and exits 1 on any failure.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serveSite } from './serve.mjs';

const require = createRequire(import.meta.url);
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : true]);
    return acc;
  }, []),
);
const site = path.resolve(args.site);
const base = args.base || '/';
const out = path.resolve(args.out || 'e2e-out');
fs.mkdirSync(out, { recursive: true });

const failures = [];
const checks = [];
function check(name, ok, detail) {
  checks.push({ name, ok: !!ok });
  if (!ok) failures.push(`${name}${detail ? ': ' + detail : ''}`);
}

// ---- static server ---------------------------------------------------------------------------
const { server, origin } = await serveSite(site, base);
const root = origin + base;

// ---- browser ---------------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** A page that records console errors and every request's host. */
async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.foreign = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) page.foreign.push(u);
  });
  return page;
}

function firstFile(dir) {
  const d = path.join(site, dir);
  if (!fs.existsSync(d)) return null;
  // Redirect pages of former ids (`fruehere_ids`) are not the entries themselves.
  const isRedirect = (n) => {
    const f = path.join(d, n, 'index.html');
    return fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('http-equiv="refresh"');
  };
  const names = fs.readdirSync(d).filter((n) => fs.statSync(path.join(d, n)).isDirectory() && n !== 'seite' && !isRedirect(n)).sort();
  return names.length ? `${dir}/${names[0]}/` : null;
}

const pages = {
  start: '',
  beispiel: firstFile('beispiele'),
  szenario: firstFile('szenarien'),
  handlungsfeld: firstFile('handlungsfelder'),
  filter: fs.existsSync(path.join(site, 'filter/bundesland/by')) ? 'filter/bundesland/by/' : firstFile('filter'),
  karte: fs.existsSync(path.join(site, 'karte')) ? 'karte/' : null,
  statistik: fs.existsSync(path.join(site, 'statistik')) ? 'statistik/' : null,
  suche: 'suche/',
  seite: firstFile('seiten'),
  daten: fs.existsSync(path.join(site, 'daten/index.html')) ? 'daten/' : null,
  passend: fs.existsSync(path.join(site, 'passend/index.html')) ? 'passend/' : null,
  einreichen: fs.existsSync(path.join(site, 'einreichen/index.html')) ? 'einreichen/' : null,
  nicht_gefunden: 'gibt-es-nicht/',
};
for (const must of ['karte', 'statistik']) check(`page exists: ${must}`, pages[must]);

// ---- 1. every key page: renders, no console errors, no foreign requests, screenshots ---------
const ctx = await browser.newContext();
for (const [name, rel] of Object.entries(pages)) {
  if (rel === null) continue;
  for (const [label, width, height] of [['phone', 360, 800], ['desktop', 1280, 900]]) {
    const page = await newPage(ctx);
    await page.setViewportSize({ width, height });
    const resp = await page.goto(root + rel, { waitUntil: 'networkidle' });
    const expected = name === 'nicht_gefunden' ? 404 : 200;
    check(`${name} (${label}) status ${expected}`, resp && resp.status() === expected, resp && resp.status());
    // The 404 page's own status is logged by Chromium as a failed resource: expected there.
    const errors = name === 'nicht_gefunden' ? page.errors.filter((e) => !e.includes('status of 404')) : page.errors;
    check(`${name} (${label}) no console errors`, errors.length === 0, errors.join(' | '));
    check(`${name} (${label}) no foreign requests`, page.foreign.length === 0, page.foreign.join(' '));
    const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
    check(`${name} (${label}) no horizontal overflow`, scrollW <= width + 1, `scrollWidth ${scrollW} > ${width}`);
    await page.screenshot({ path: path.join(out, `${name}-${label}.png`), fullPage: false });
    await page.close();
  }
}

// ---- 2. search flow ---------------------------------------------------------------------------
{
  const page = await newPage(ctx);
  await page.goto(root + 'suche/', { waitUntil: 'networkidle' });
  await page.fill('#suche-q', 'Chatbot');
  await page.waitForSelector('#suche-treffer li', { timeout: 15000 });
  const hits = await page.$$eval('#suche-treffer li', (l) => l.length);
  check('search: hits for "Chatbot"', hits > 0, `${hits}`);
  // Snippets may render a moment after the list itself.
  await page.waitForSelector('#suche-treffer mark', { timeout: 5000 }).catch(() => {});
  const marks = await page.$$eval('#suche-treffer mark', (l) => l.length);
  check('search: highlighted snippets', marks > 0);
  const status = await page.textContent('#suche-status');
  check('search: count announced in live region', /\d+ Treffer/.test(status || ''), status);
  const facetCounts = await page.$$eval('#suche-facetten input[type=checkbox]', (l) => l.length);
  check('search: facet checkboxes', facetCounts > 0, `${facetCounts}`);
  check('search: URL has query', new URL(page.url()).searchParams.get('q') === 'Chatbot', page.url());

  // Tick the first Bundesland facet: the list and the URL change.
  const before = await page.$$eval('#suche-treffer li', (l) => l.map((x) => x.textContent).join('|'));
  const box = await page.$('#suche-facetten input[type=checkbox][name=bundesland]') || await page.$('#suche-facetten input[type=checkbox]');
  const facetName = await box.getAttribute('name');
  const facetValue = await box.getAttribute('value');
  await box.click(); // the facet list re-renders after the click
  await page.waitForFunction((n) => new URL(location.href).searchParams.has(n), facetName, { timeout: 10000 });
  await page.waitForTimeout(300);
  const after = await page.$$eval('#suche-treffer li', (l) => l.map((x) => x.textContent).join('|'));
  check('search: facet changes the list', after !== before || hits === 1);
  check('search: facet in URL', new URL(page.url()).searchParams.getAll(facetName).includes(facetValue), page.url());

  // Reload restores the state.
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForSelector('#suche-treffer li', { timeout: 15000 });
  check('search: reload keeps query', (await page.inputValue('#suche-q')) === 'Chatbot');
  const checked = await page.$eval(`#suche-facetten input[name="${facetName}"][value="${facetValue}"]`, (c) => c.checked).catch(() => false);
  check('search: reload keeps facet', checked);
  check('search: no console errors', page.errors.length === 0, page.errors.join(' | '));
  check('search: no foreign requests', page.foreign.length === 0, page.foreign.join(' '));
  await page.screenshot({ path: path.join(out, 'suche-ergebnis-desktop.png') });
  await page.close();
}

// ---- 2b. a part of the index that fails to load: German error and retry, never a partial list -
{
  const offline = await browser.newContext();
  const page = await newPage(offline);
  let block = true;
  const blocked = [];
  await page.route('**/suche/teile/*.bin', (route) => {
    if (block) { blocked.push(route.request().url()); return route.abort('internetdisconnected'); }
    return route.continue();
  });
  await page.goto(root + 'suche/', { waitUntil: 'networkidle' });
  await page.fill('#suche-q', 'Chatbot');
  await page.waitForSelector('#suche-erneut:not([hidden])', { timeout: 15000 }).catch(() => {});
  const status = await page.textContent('#suche-status');
  check('search offline: a failed part request was made', blocked.length > 0);
  check('search offline: German error names the incomplete load', /nicht vollständig geladen/.test(status), status);
  check('search offline: no hits shown', (await page.$$('#suche-treffer li')).length === 0);
  check('search offline: retry button shown', await page.isVisible('#suche-erneut'));
  block = false;
  await page.click('#suche-erneut');
  await page.waitForSelector('#suche-treffer li', { timeout: 15000 }).catch(() => {});
  check('search offline: retry answers', (await page.$$('#suche-treffer li')).length > 0);
  check('search offline: retry button hidden again', !(await page.isVisible('#suche-erneut')));
  // Console errors for the aborted requests are expected here; foreign requests are not.
  check('search offline: no foreign requests', page.foreign.length === 0, page.foreign.join(' '));
  await page.close();
  await offline.close();
}

// ---- 2c. the module: compiled by the page and downloaded once; the worker's own fetch if not --
{
  const moduleUrl = /\/suche\/koki_search\.[0-9a-f]+\.wasm$/;
  const normal = await browser.newContext();
  const seen = [];
  normal.on('request', (r) => { if (moduleUrl.test(r.url())) seen.push(r.url()); });
  let page = await newPage(normal);
  await page.goto(root + 'suche/', { waitUntil: 'networkidle' });
  await page.fill('#suche-q', 'Chatbot');
  await page.waitForSelector('#suche-treffer li', { timeout: 15000 }).catch(() => {});
  check('search module: answers', (await page.$$('#suche-treffer li')).length > 0);
  check('search module: downloaded once (page compiles it, worker reuses it)', seen.length === 1, seen.join(' '));
  await page.close();
  await normal.close();

  // A browser where the page cannot compile it: the worker fetches the module itself.
  const fallback = await browser.newContext();
  const fetched = [];
  fallback.on('request', (r) => { if (moduleUrl.test(r.url())) fetched.push(r.url()); });
  await fallback.addInitScript(() => {
    WebAssembly.compileStreaming = () => Promise.reject(new Error('compileStreaming blocked by the test'));
  });
  page = await newPage(fallback);
  await page.goto(root + 'suche/', { waitUntil: 'networkidle' });
  await page.fill('#suche-q', 'Chatbot');
  await page.waitForSelector('#suche-treffer li', { timeout: 15000 }).catch(() => {});
  check('search module fallback: the worker loads the module and answers', (await page.$$('#suche-treffer li')).length > 0);
  check('search module fallback: no console errors', page.errors.length === 0, page.errors.join(' | '));
  // One request by the page (its compile was refused), one by the worker.
  check('search module fallback: the page asked first, then the worker', fetched.length === 2, fetched.join(' '));
  await page.close();
  await fallback.close();
}

// ---- 3. keyboard only -------------------------------------------------------------------------
{
  const page = await newPage(ctx);
  await page.goto(root + 'suche/', { waitUntil: 'networkidle' });
  // Tab from the top: the first stop is the skip link, which moves focus to the main content.
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
  check('keyboard: first tab stop is the skip link', first === 'skip-link', first);
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'suche-q');
  }
  check('keyboard: search input reachable by Tab', reached);
  await page.keyboard.type('Verkehr');
  await page.waitForSelector('#suche-treffer li', { timeout: 15000 });
  let onBox = false;
  for (let i = 0; i < 60 && !onBox; i++) {
    await page.keyboard.press('Tab');
    onBox = await page.evaluate(() => document.activeElement && document.activeElement.type === 'checkbox');
  }
  check('keyboard: facet checkbox reachable', onBox);
  if (onBox) {
    const urlBefore = page.url();
    await page.keyboard.press('Space');
    await page.waitForFunction((u) => location.href !== u, urlBefore, { timeout: 10000 }).catch(() => {});
    check('keyboard: space toggles facet (URL changes)', page.url() !== urlBefore, page.url());
    const focusKept = await page.evaluate(() => document.activeElement && document.activeElement.type === 'checkbox');
    check('keyboard: focus stays on the facet after re-render', focusKept);
  }
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check('keyboard: focus is visible', outline && outline !== 'none', outline);
  await page.close();
}

// ---- 3b. submission form: keyboard only, inline error, fix, download; a correction ---------
const form = {};
if (pages.einreichen) {
  const formCtx = await browser.newContext({ acceptDownloads: true });
  const page = await newPage(formCtx);
  await page.goto(root + 'einreichen/', { waitUntil: 'networkidle' });
  const ready = () => page.waitForFunction(() => {
    const s = document.getElementById('einreichen-pruefung');
    return s && /Fehler|Hinweis/.test(s.textContent) && !/geladen/.test(s.textContent);
  }, null, { timeout: 15000 });
  await ready();
  check('form: shown with JavaScript, template hidden',
    await page.evaluate(() => !document.getElementById('einreichen').hidden && document.getElementById('einreichen-ohne-js').hidden));

  // Moves focus forward with Tab until the element with `id` has it (fields are in DOM order).
  const tabTo = async (id) => {
    for (let i = 0; i < 600; i++) {
      if (await page.evaluate((x) => document.activeElement && document.activeElement.id === x, id)) return true;
      await page.keyboard.press('Tab');
    }
    return false;
  };
  // A closed <select> changes with the arrow keys: step until it holds `value`.
  const choose = async (id, value) => {
    if (!(await tabTo(id))) return false;
    const [now, want] = await page.evaluate(([x, v]) => {
      const el = document.getElementById(x);
      const opts = Array.from(el.options).map((o) => o.value);
      return [opts.indexOf(el.value), opts.indexOf(v)];
    }, [id, value]);
    if (want < 0) return false;
    const key = want > now ? 'ArrowDown' : 'ArrowUp';
    for (let i = 0; i < Math.abs(want - now); i++) await page.keyboard.press(key);
    return (await page.inputValue('#' + id)) === value;
  };
  const type = async (id, text) => (await tabTo(id)) && (await page.keyboard.type(text), true);
  const tick = async (id) => (await tabTo(id)) && (await page.keyboard.press('Space'), true);

  const typed = {
    name: 'Gemeinde Testfeld', titel: 'KI-Assistenz im Bürgerbüro Testfeld',
    kurz: 'Ein Sprachmodell entwirft Antworten auf Bürgeranfragen; Beschäftigte prüfen jede Antwort.',
    quelle: 'Pressemitteilung der Gemeinde', url: 'https://example.org/pressemitteilung',
    text: 'Die Gemeinde beantwortet Anfragen schneller.',
  };
  await page.keyboard.press('Tab'); // skip link first: the rest is reached from the page top
  const steps = [
    ['Kommune name', () => type('f-kommunen-0-name', typed.name)],
    ['AGS (bad)', () => type('f-kommunen-0-ags', '1234')],
    ['Bundesland', () => choose('f-bundesland', 'by')],
    ['Verwaltungsebene', () => choose('f-verwaltungsebene', 'gemeinde')],
    ['Titel', () => type('f-titel', typed.titel)],
    ['Kurzbeschreibung', () => type('f-kurzbeschreibung', typed.kurz)],
    ['Handlungsfeld', () => choose('f-handlungsfeld', 'buergerservice')],
    ['Status', () => choose('f-status', 'pilot')],
    ['KI-Technik', () => tick('f-ki-technik-generative_ki')],
    ['Quelle Titel', () => type('f-quellen-0-titel', typed.quelle)],
    ['Quelle URL', () => type('f-quellen-0-url', typed.url)],
    ['Quelle abgerufen', () => type('f-quellen-0-abgerufen', '2026-12-06')],
  ];
  for (const [label, step] of steps) check(`form: keyboard reaches and fills ${label}`, await step());
  const firstText = await page.$eval('textarea[data-abschnitt]', (t) => t.id);
  check('form: keyboard fills a description section', await type(firstText, typed.text));

  // The bad AGS: an inline error next to the field, marked invalid, listed in the summary.
  const agsError = () => page.evaluate(() => {
    const p = document.getElementById('f-kommunen-0-ags-fehler');
    const input = document.getElementById('f-kommunen-0-ags');
    return { shown: !p.hidden, text: p.textContent, invalid: input.getAttribute('aria-invalid') };
  });
  await page.waitForFunction(() => !document.getElementById('f-kommunen-0-ags-fehler').hidden, null, { timeout: 10000 }).catch(() => {});
  const bad = await agsError();
  check('form: bad AGS gets an inline error', bad.shown && /1234/.test(bad.text), JSON.stringify(bad));
  check('form: bad AGS field is aria-invalid', bad.invalid === 'true', JSON.stringify(bad));
  check('form: summary counts the error', /Fehler/.test(await page.textContent('#einreichen-pruefung')));
  check('form: summary is a live region', (await page.getAttribute('#einreichen-pruefung', 'aria-live')) === 'polite');

  // Fix it by keyboard: back to the field, select all, type the Landkreis key.
  await page.keyboard.down('Shift');
  let back = false;
  for (let i = 0; i < 200 && !back; i++) {
    await page.keyboard.press('Tab');
    back = await page.evaluate(() => document.activeElement && document.activeElement.id === 'f-kommunen-0-ags');
  }
  await page.keyboard.up('Shift');
  check('form: Shift+Tab back to the AGS field', back);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('09674');
  await page.waitForFunction(() => /^Keine Fehler/.test(document.getElementById('einreichen-pruefung').textContent), null, { timeout: 10000 }).catch(() => {});
  const fixed = await agsError();
  check('form: fixed AGS clears the error', !fixed.shown && fixed.invalid === null, JSON.stringify(fixed));
  const summary = await page.textContent('#einreichen-pruefung');
  check('form: no errors after the fix', /^Keine Fehler/.test(summary), summary + ' ' + await page.textContent('#einreichen-fehlerliste'));

  // Download by keyboard.
  check('form: download button reachable by Tab', await tabTo('einreichen-herunterladen'));
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.keyboard.press('Enter')]);
  const saved = path.join(out, 'form-neu.md');
  await download.saveAs(saved);
  form.neu = { file: saved, datei: await page.textContent('#einreichen-datei'), ...typed };
  check('form: downloaded file named like koki new', /^content\/beispiele\/[a-z0-9-]+\.md$/.test(form.neu.datei) && download.suggestedFilename() === path.basename(form.neu.datei), form.neu.datei);

  // The draft survives a reload; "Entwurf löschen" clears it.
  await page.reload({ waitUntil: 'networkidle' });
  await ready();
  check('form: draft restored after reload', (await page.inputValue('#f-titel')) === typed.titel);
  await page.click('#einreichen-loeschen');
  check('form: "Entwurf löschen" empties the form', (await page.inputValue('#f-titel')) === '');
  check('form: "Entwurf löschen" removes the stored draft', await page.evaluate(() => localStorage.getItem('koki-entwurf:neu') === null));
  check('form: no console errors', page.errors.length === 0, page.errors.join(' | '));
  check('form: no foreign requests', page.foreign.length === 0, page.foreign.join(' '));
  await page.close();

  // A correction of the first example: change the status by keyboard, download the file.
  const id = pages.beispiel.split('/')[1];
  const fix = await newPage(formCtx);
  await fix.goto(root + 'einreichen/?korrektur=' + id, { waitUntil: 'networkidle' });
  await fix.waitForFunction(() => /Keine Fehler|Fehler/.test(document.getElementById('einreichen-pruefung').textContent), null, { timeout: 15000 });
  const mode = await fix.textContent('#einreichen-modus');
  check('form: correction mode names the entry', /Korrektur des Eintrags/.test(mode), mode);
  // The file as the catalog has it: the correction must differ from it in one line only.
  const before = await fix.evaluate((u) => fetch(u).then((r) => r.text()), root + 'einreichen/quellen/' + id + '.md');
  const status = await fix.inputValue('#f-status');
  const target = status === 'regelbetrieb' ? 'pilot' : 'regelbetrieb';
  await fix.focus('#f-titel');
  let reachedStatus = false;
  for (let i = 0; i < 300 && !reachedStatus; i++) {
    await fix.keyboard.press('Tab');
    reachedStatus = await fix.evaluate(() => document.activeElement && document.activeElement.id === 'f-status');
  }
  check('form (correction): status field reachable by Tab', reachedStatus);
  for (let i = 0; i < 12 && (await fix.inputValue('#f-status')) !== target; i++) await fix.keyboard.press(target === 'pilot' ? 'ArrowUp' : 'ArrowDown');
  if ((await fix.inputValue('#f-status')) !== target) {
    for (let i = 0; i < 12 && (await fix.inputValue('#f-status')) !== target; i++) await fix.keyboard.press(target === 'pilot' ? 'ArrowDown' : 'ArrowUp');
  }
  check('form (correction): status changed by keyboard', (await fix.inputValue('#f-status')) === target);
  await fix.waitForFunction((b) => document.getElementById('einreichen-vorschau').textContent !== b, before, { timeout: 10000 }).catch(() => {});
  const after = await fix.textContent('#einreichen-vorschau');
  const a = before.split('\n');
  const b = after.split('\n');
  const changed = a.length === b.length ? a.filter((l, i) => l !== b[i]) : null;
  check('form (correction): only the status line changes', changed && changed.length === 1 && /^status:/.test(changed[0]),
    changed ? changed.join(' | ') : `line count ${a.length} → ${b.length}`);
  const [fixDownload] = await Promise.all([fix.waitForEvent('download', { timeout: 10000 }), fix.click('#einreichen-herunterladen')]);
  const fixSaved = path.join(out, 'form-korrektur.md');
  await fixDownload.saveAs(fixSaved);
  form.korrektur = { file: fixSaved, datei: await fix.textContent('#einreichen-datei'), status: target };
  check('form (correction): no console errors', fix.errors.length === 0, fix.errors.join(' | '));
  await fix.close();

  // Benchmark figure (printed, not asserted): checking the largest shipped example in Chromium,
  // with the page's own module and context, median of 30 runs after one warm-up.
  const bench = await newPage(formCtx);
  await bench.goto(root + 'einreichen/', { waitUntil: 'networkidle' });
  form.timing = await bench.evaluate(async () => {
    const f = document.getElementById('einreichen');
    const [inst, ctxText] = await Promise.all([
      fetch(f.dataset.modul).then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b, {})),
      fetch(f.dataset.kontext).then((r) => r.text()),
    ]);
    const e = inst.instance.exports;
    const call = (name, text) => {
      const bytes = new TextEncoder().encode(text);
      const ptr = e.koki_alloc(bytes.length);
      new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
      const status = e[name](ptr, bytes.length);
      e.koki_dealloc(ptr, bytes.length);
      return status;
    };
    const t0 = performance.now();
    call('koki_open', ctxText);
    const openMs = performance.now() - t0;
    const files = JSON.parse(ctxText).dateien.filter((d) => d.startsWith('content/beispiele/') && d.endsWith('.md'));
    const texts = await Promise.all(files.map((d) =>
      fetch(f.dataset.quellen + d.split('/').pop()).then((r) => r.text()).then((t) => [d, t])));
    const [datei, text] = texts.sort((a, b) => b[1].length - a[1].length)[0];
    const request = JSON.stringify({ aktion: 'pruefen', datei, text, neu: false });
    call('koki_form', request);
    const runs = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      call('koki_form', request);
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    return { datei, bytes: text.length, open_ms: openMs, median_ms: runs[15], max_ms: runs[29] };
  });
  console.log(`form bench: checking ${form.timing.datei} (${form.timing.bytes} chars) in Chromium: median ${form.timing.median_ms.toFixed(2)} ms, max ${form.timing.max_ms.toFixed(2)} ms; opening the context ${form.timing.open_ms.toFixed(1)} ms`);
  await bench.close();
  await formCtx.close();
}

// ---- 4. axe-core, WCAG 2.1 AA, every page type -------------------------------------------------
{
  const axeCtx = await browser.newContext({ bypassCSP: true });
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const targets = Object.entries(pages).filter(([, rel]) => rel !== null);
  targets.push(['suche-mit-treffern', 'suche/?q=Verkehr']);
  for (const [name, rel] of targets) {
    const page = await axeCtx.newPage();
    await page.goto(root + rel, { waitUntil: 'networkidle' });
    if (name === 'suche-mit-treffern') await page.waitForSelector('#suche-treffer li', { timeout: 15000 }).catch(() => {});
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const v = result.violations.map((x) => `${x.id} (${x.nodes.length}): ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
    check(`axe: ${name}`, result.violations.length === 0, v.join(' | '));
    await page.close();
  }
  await axeCtx.close();
}

await browser.close();
server.close();

// ---- 5. Nu Html Checker over every generated page ----------------------------------------------
if (args.vnu) {
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  let report = '';
  try {
    execFileSync('java', ['-Xss1024k', '-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', site], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    report = (e.stderr || '').toString() + (e.stdout || '').toString();
  }
  let messages = [];
  try { messages = report ? JSON.parse(report).messages.filter((m) => m.type === 'error') : []; } catch { messages = [{ message: report.slice(0, 500) }]; }
  const sample = messages.slice(0, 5).map((m) => `${(m.url || '').replace('file:' + site, '')}:${m.lastLine}: ${m.message}`);
  check('vnu: 0 errors in generated HTML', messages.length === 0, `${messages.length} errors; ${sample.join(' | ')}`);
}

fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify({ base, checks, failures, form }, null, 2));
console.log(`screenshots and report: ${out}`);
for (const f of failures) console.log('FAIL ' + f);
console.log(JSON.stringify({ base, passed: checks.length - failures.length, failed: failures.length }));
process.exit(failures.length ? 1 : 0);
