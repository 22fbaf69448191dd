/* koki search loader: instantiates the search module (plain exports, no imports, no
   wasm-bindgen) and opens the index bundle. Used by worker.js; works in any JS context. */
async function kokiSearchOpen(moduleUrl, bundleUrl) {
  const get = (url) => fetch(url).then((r) => {
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.arrayBuffer();
  });
  const [mod, bundle] = await Promise.all([get(moduleUrl), get(bundleUrl)]);
  const { instance } = await WebAssembly.instantiate(mod, {});
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
  const opened = call(x.koki_open, new Uint8Array(bundle));
  if (opened.status !== 0) throw new Error(opened.text);
  return {
    search(request) {
      const r = call(x.koki_search, enc.encode(JSON.stringify(request)));
      const answer = JSON.parse(r.text);
      if (r.status !== 0) throw new Error(answer.error || 'Suche fehlgeschlagen');
      return answer;
    },
  };
}
