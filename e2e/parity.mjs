// Browser parity: the search module in Debian's Chromium, loading the lazy index of a built
// site part by part, answers every request exactly like the native engine.
//
//   node e2e/parity.mjs --site DIR --cases FILE
//
// FILE: JSON {requests: [...], answers: [...]} — the native answers (JSON text of each
// response) from tests/e2e.rs. The requests run in one page through loader.js (the code the
// search worker runs), starting cold, so parts arrive over many rounds. Prints one JSON line
// {total, equal, first_differences}; exits 1 unless every answer is equal.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { openSearchIndex, serveSite } from './serve.mjs';

const arg = (name) => process.argv[process.argv.indexOf('--' + name) + 1];
const site = path.resolve(arg('site'));
const cases = JSON.parse(fs.readFileSync(arg('cases'), 'utf8'));
const { server, origin } = await serveSite(site, '/');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const page = await (await browser.newContext()).newPage();
await openSearchIndex(page, origin);
const got = await page.evaluate(async (requests) => {
  const e = await window.kokiIndex;
  const out = [];
  for (const r of requests) {
    try {
      out.push(JSON.stringify(await e.search(r)));
    } catch (err) {
      out.push('error: ' + err.message);
    }
  }
  return out;
}, cases.requests);
await browser.close();
server.close();

const differences = [];
got.forEach((g, i) => {
  const want = JSON.stringify(JSON.parse(cases.answers[i]));
  if (g !== want) differences.push({ request: cases.requests[i], browser: g.slice(0, 300), native: want.slice(0, 300) });
});
console.log(JSON.stringify({
  total: got.length,
  equal: got.length - differences.length,
  first_differences: differences.slice(0, 3),
}));
process.exit(differences.length === 0 && got.length === cases.requests.length ? 0 : 1);
