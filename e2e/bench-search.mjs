// Search benchmark in Debian's Chromium (playwright-core): what a first search costs on a
// built site, for koki's search page and, when the site has a Pagefind index (`pagefind/`),
// for Pagefind on the same pages.
//
//   node e2e/bench-search.mjs --site DIR [--queries "a|b|c"] [--relevance FILE]
//
// Per engine and query, from a cold browser context (empty cache):
// * first-search bytes: every response until the first answer, each body compressed with
//   brotli -q 11 (what a static host serves), page, CSS and scripts included;
// * first query time, localhost: koki from pressing Enter in the loaded search page until the
//   answer is on the page (focusing the box already starts loading); Pagefind from calling
//   `import()` of pagefind.js until the results and the data of the shown hits are loaded;
// then, in one warm page, each query 20 times: p95 of the query time.
// --relevance FILE (JSON [{q, id}], ids = page paths without slashes) adds success@5 for
// Pagefind (koki's is asserted by `cargo test --test search_relevance`); --pagefind-only skips koki.
// Prints one JSON line per engine.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { openSearchIndex, serveSite } from './serve.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : true]);
    return acc;
  }, []),
);
const site = path.resolve(args.site);
const queries = (args.queries || 'Chatbot|Ampel Steuerung|Bürgeramt|Verkehrssteuerung|Prognose|Wasser|elektirsch|Schule|Parken Daten|Energie').split('|');
const { server, origin } = await serveSite(site, '/');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const brotli = (buf) => zlib.brotliCompressSync(buf, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 22 },
}).length;
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.round((s.length - 1) * p))]; };

/** Opens a cold page, records every response body; `run(page)` resolves at the answer. */
async function cold(url, run) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const bodies = [];
  page.on('response', (r) => { bodies.push(r.body().then((b) => [r.url(), b]).catch(() => [r.url(), Buffer.alloc(0)])); });
  await page.goto(url);
  const ms = await run(page);
  const got = await Promise.all(bodies);
  await ctx.close();
  return { ms, files: got.length, bytes: got.reduce((n, [, b]) => n + brotli(b), 0) };
}

function summary(engine, rows, warm, extra) {
  const bytes = rows.map((r) => r.bytes);
  const ms = rows.map((r) => r.ms);
  const line = {
    engine,
    queries: rows.length,
    first_bytes_p50: pct(bytes, 0.5),
    first_bytes_max: Math.max(...bytes),
    first_files_max: Math.max(...rows.map((r) => r.files)),
    first_ms_p50: +pct(ms, 0.5).toFixed(1),
    first_ms_max: +Math.max(...ms).toFixed(1),
    warm_ms_p95: +pct(warm, 0.95).toFixed(2),
    ...extra,
  };
  console.log(JSON.stringify(line));
}

// ---- koki --------------------------------------------------------------------------------
if (!args['pagefind-only']) {
  const rows = [];
  for (const q of queries) {
    // The page is loaded, then the query is typed and sent with Enter (no typing debounce):
    // the time runs from Enter to the answer on the page, so it includes every fetch the
    // first query causes (manifest, worker, module, hot file, parts).
    rows.push(await cold(origin + '/suche/', async (page) => {
      await page.waitForLoadState('load');
      await page.fill('#suche-q', q);
      const t = await page.evaluate(() => performance.now());
      await page.press('#suche-q', 'Enter');
      await page.waitForFunction((q) => {
        const s = document.getElementById('suche-status').textContent;
        return /Treffer/.test(s) && s.includes(q);
      }, q, { timeout: 60000 });
      return (await page.evaluate(() => performance.now())) - t;
    }));
  }
  // Warm: the loader in the page itself (the worker runs the same code).
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await openSearchIndex(page, origin);
  const warm = await page.evaluate(async (qs) => {
    const e = await window.kokiIndex;
    const times = [];
    for (const q of qs) await e.search({ q, limit: 20, labels: false });
    for (let i = 0; i < 20; i++) {
      for (const q of qs) {
        const t = performance.now();
        await e.search({ q, limit: 20, labels: false });
        times.push(performance.now() - t);
      }
    }
    return times;
  }, queries);
  await ctx.close();
  const manifest = JSON.parse(fs.readFileSync(path.join(site, 'suche/manifest.json'), 'utf8'));
  summary('koki', rows, warm, { entries: manifest.entries, part_files: manifest.part_files });
}

// ---- Pagefind ----------------------------------------------------------------------------
if (fs.existsSync(path.join(site, 'pagefind/pagefind.js'))) {
  const search = async (q) => {
    const pf = await import('/pagefind/pagefind.js');
    await pf.init();
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, 20).map((x) => x.data()));
    return data.map((d) => d.url);
  };
  const rows = [];
  for (const q of queries) {
    rows.push(await cold(origin + '/404.html', async (page) => {
      await page.evaluate(search, q);
      return page.evaluate(() => performance.now());
    }));
  }
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(origin + '/404.html');
  const warm = await page.evaluate(async (qs) => {
    const pf = await import('/pagefind/pagefind.js');
    await pf.init();
    const run = async (q) => { const r = await pf.search(q); await Promise.all(r.results.slice(0, 20).map((x) => x.data())); };
    for (const q of qs) await run(q);
    const times = [];
    for (let i = 0; i < 20; i++) {
      for (const q of qs) { const t = performance.now(); await run(q); times.push(performance.now() - t); }
    }
    return times;
  }, queries);
  let extra = {};
  if (args.relevance) {
    const cases = JSON.parse(fs.readFileSync(args.relevance, 'utf8'));
    const top = await page.evaluate(async (qs) => {
      const pf = await import('/pagefind/pagefind.js');
      const out = [];
      for (const q of qs) {
        const r = await pf.search(q);
        out.push((await Promise.all(r.results.slice(0, 5).map((x) => x.data()))).map((d) => d.url));
      }
      return out;
    }, cases.map((c) => c.q));
    const ok = cases.filter((c, i) => top[i].some((u) => u.replace(/\//g, '').replace(/index\.html$/, '') === c.id)).length;
    extra = { success_at_5: +(ok / cases.length).toFixed(3), relevance_cases: cases.length };
  }
  await ctx.close();
  summary('pagefind', rows, warm, extra);
}

await browser.close();
server.close();
