// Where the time of a first search goes, in Chromium on a built site: one cold browser
// context per query; the search module is driven from the page itself (main thread, same
// protocol as loader.js) and every phase is timed: manifest, module compile, hot file,
// koki_open, and per round the koki_search call and the fetch of the parts it asked for.
//
//   node e2e/trace-first-query.mjs --site DIR [--queries "a|b|c"]
//
// Prints one JSON line per query. A diagnostic tool for issue 18; the benchmark itself is
// e2e/bench-search.mjs.

import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveSite } from './serve.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : true]);
    return acc;
  }, []),
);
const site = path.resolve(args.site);
const queries = (args.queries || 'Ampelsteuerung|Chatbot Bürgeramt|Parkplatz|Kita Anmeldung|Übersetzung|Wasserversorgung|Personalrat|Förderung Land|Müllabfuhr|Bauantrag').split('|');
const { server, origin } = await serveSite(site, '/');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic'],
});

async function trace(q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(origin + '/suche/');
  await page.waitForLoadState('load');
  const t = await page.evaluate(async ([q, args]) => {
    const t0 = performance.now();
    const mark = {};
    const lap = (k) => { mark[k] = +(performance.now() - t0).toFixed(1); };
    const get = (u) => fetch(u).then((r) => r.arrayBuffer());
    const m = await (await fetch('/suche/manifest.json')).json();
    lap('manifest');
    const [{ instance }, hot] = await Promise.all([
      WebAssembly.instantiateStreaming(fetch('/suche/' + m.module), {}).then((x) => { lap('module'); return x; }),
      get('/suche/' + m.hot).then((b) => { lap('hot'); return b; }),
    ]);
    const x = instance.exports;
    const enc = new TextEncoder(); const dec = new TextDecoder();
    const call = (fn, bytes) => {
      const ptr = x.koki_alloc(bytes.length) >>> 0;
      new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
      const status = fn(ptr, bytes.length);
      x.koki_dealloc(ptr, bytes.length);
      const out = new Uint8Array(x.memory.buffer, x.koki_result_ptr() >>> 0, x.koki_result_len() >>> 0);
      return { status, text: dec.decode(out) };
    };
    call(x.koki_open, new Uint8Array(hot));
    lap('open');
    const req = enc.encode(JSON.stringify({ q, limit: 20, labels: true }));
    const rounds = [];
    for (let i = 0; i < 32; i++) {
      const a = performance.now();
      const r = call(x.koki_search, req);
      const calc = performance.now() - a;
      if (r.status !== 3) { rounds.push({ calc: +calc.toFixed(1) }); break; }
      const need = JSON.parse(r.text).need;
      const b = performance.now();
      const parts = await Promise.all(need.map((id) => get('/suche/' + m.parts_dir + '/' + id + '.bin').then((buf) => [id, buf])));
      const fetchMs = performance.now() - b;
      let bytes = 0;
      for (const [id, buf] of parts) {
        bytes += buf.byteLength;
        const all = new Uint8Array(16 + buf.byteLength);
        all.set(enc.encode(id)); all.set(new Uint8Array(buf), 16);
        call(x.koki_part, all);
      }
      rounds.push({ ids: args.ids ? need : undefined, calc: +calc.toFixed(1), parts: need.length, kb: +(bytes / 1024).toFixed(1), fetch: +fetchMs.toFixed(1) });
    }
    lap('answer');
    return { mark, rounds };
  }, [q, { ids: !!args.ids }]);
  await ctx.close();
  return { q, ...t };
}

for (const q of queries) console.log(JSON.stringify(await trace(q)));
await browser.close();
server.close();
