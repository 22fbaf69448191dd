/* koki search loader: instantiates the search module (plain exports, no imports, no
   wasm-bindgen), opens the hot file of the lazy index and answers requests, fetching the
   index parts a request needs (content-hashed files under `parts`) before answering.
   An answer is only returned once the module had every part it asked for: a part that
   fails to load rejects the request (the caller shows an error and may retry; parts that
   did arrive stay loaded). Used by worker.js; works in any JS context.
   `early` (optional): {module, hot} fetch promises the caller already started, so the
   downloads need not wait for this script; or {compiled, hot} with a promise of the
   compiled WebAssembly.Module (null: fetch the module here after all). */
async function kokiSearchOpen(moduleUrl, hotUrl, partsUrl, early) {
  const checked = (url, response) => response.then((r) => {
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r;
  });
  const get = (url, response) => checked(url, response || fetch(url)).then((r) => r.arrayBuffer());
  function fetchAndInstantiate() {
    const moduleResponse = checked(moduleUrl, (early && early.module) || fetch(moduleUrl));
    // Compile while downloading where the host sends `application/wasm`; else from bytes.
    const compile = () => moduleResponse.then((r) => r.clone().arrayBuffer())
      .then((b) => WebAssembly.instantiate(b, {}));
    return WebAssembly.instantiateStreaming
      ? moduleResponse.then((r) => WebAssembly.instantiateStreaming(r.clone(), {})).catch(compile)
      : compile();
  }
  const instantiated = (early && early.compiled ? early.compiled : Promise.resolve(null))
    .then((module) => module
      ? WebAssembly.instantiate(module, {}).then((instance) => ({ instance }))
      : fetchAndInstantiate());
  const [{ instance }, hot] = await Promise.all([instantiated, get(hotUrl, early && early.hot)]);
  const x = instance.exports;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  function call(fn, bytes) {
    const ptr = x.koki_alloc(bytes.length) >>> 0;
    new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
    const status = fn(ptr, bytes.length);
    x.koki_dealloc(ptr, bytes.length);
    const out = new Uint8Array(x.memory.buffer, x.koki_result_ptr() >>> 0, x.koki_result_len() >>> 0);
    return { status, text: dec.decode(out) };
  }
  const opened = call(x.koki_open, new Uint8Array(hot));
  if (opened.status !== 0) throw new Error(opened.text);
  // Parts of one round are fetched in parallel; each is handed over as id + bytes. Two
  // requests in flight at once (typing, then Enter) share each part's download, and a part
  // is handed over once; a part that failed is fetched again by the next request.
  const loading = new Map(); // id -> Promise<ArrayBuffer>
  const held = new Set();
  function fetchPart(id) {
    let p = loading.get(id);
    if (!p) {
      p = get(partsUrl + id + '.bin');
      loading.set(id, p);
      p.catch(() => loading.delete(id));
    }
    return p;
  }
  async function load(ids) {
    const parts = await Promise.all(ids.map((id) => fetchPart(id).then((b) => [id, b])));
    for (const [id, b] of parts) {
      if (held.has(id)) continue;
      loading.delete(id);
      const buf = new Uint8Array(16 + b.byteLength);
      buf.set(enc.encode(id));
      buf.set(new Uint8Array(b), 16);
      const r = call(x.koki_part, buf);
      if (r.status !== 0) throw new Error(id + ': ' + (JSON.parse(r.text).error || 'ungültig'));
      held.add(id);
    }
  }
  return {
    async search(request) {
      const req = enc.encode(JSON.stringify(request));
      // Each round loads new parts; the index has a few dozen levels at most.
      for (let round = 0; round < 32; round++) {
        const r = call(x.koki_search, req);
        const answer = JSON.parse(r.text);
        if (r.status === 3) { await load(answer.need); continue; }
        if (r.status !== 0) throw new Error(answer.error || 'Suche fehlgeschlagen');
        return answer;
      }
      throw new Error('Suchindex unvollständig');
    },
  };
}
