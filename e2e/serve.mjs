// A static file server for the browser scripts: serves `site` under `base` on 127.0.0.1 (an
// ephemeral port) with correct MIME types, `index.html` for directories and the site's
// 404 page. Returns {server, origin}.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml', '.txt': 'text/plain',
  '.csv': 'text/csv; charset=utf-8', '.bin': 'application/octet-stream',
};

export async function serveSite(site, base) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let p = decodeURIComponent(url.pathname);
    if (!p.startsWith(base)) { res.writeHead(404); return res.end('outside base'); }
    p = p.slice(base.length);
    let file = path.join(site, p);
    if (!file.startsWith(site)) { res.writeHead(403); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': MIME['.html'] });
      const notFound = path.join(site, '404.html');
      return res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found');
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** Opens the site's search page in `page` and starts loading its lazy index with loader.js
 *  (the code the search worker runs); in the page, `await window.kokiIndex` is the engine. */
export async function openSearchIndex(page, origin) {
  await page.goto(origin + '/suche/');
  await page.addScriptTag({ url: origin + '/static/search/loader.js' });
  await page.evaluate(() => {
    window.kokiIndex = fetch('/suche/manifest.json').then((r) => r.json()).then((m) =>
      kokiSearchOpen('/suche/' + m.module, '/suche/' + m.hot, '/suche/' + m.parts_dir + '/'));
  });
}
