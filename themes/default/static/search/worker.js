/* koki search worker: keeps the search module off the main thread so typing stays smooth.
   Messages in:  {compiling} (absolute URL of the module the page compiles), then
                 {compiled}  (that WebAssembly.Module, or null if the page could not):
                 used instead of fetching the module when the manifest names the same URL
                 {id, module, hot, parts, request}   (absolute URLs; parts ends with '/';
                 without `request`: only load module and hot file, answer nothing)
   Messages out: {id, answer} or {id, error}
   A failed start (module or hot file) is retried with the next request; a part that failed
   to load is fetched again by the next request, the parts that arrived stay loaded.
   The module and the hot file are requested before loader.js is read (importScripts blocks),
   so their downloads do not wait for it.                                                   */
let engine = null;
let compiling = null; // {url, module: Promise<WebAssembly.Module|null>} compiled by the page
let compiled = null;  // resolves compiling.module
self.onmessage = async (event) => {
  const m = event.data;
  if (m.compiling) {
    if (!engine && !compiling) {
      compiling = { url: m.compiling, module: new Promise((resolve) => { compiled = resolve; }) };
    }
    return;
  }
  if ('compiled' in m) {
    if (compiled) compiled(m.compiled);
    compiled = null;
    return;
  }
  let e;
  try {
    if (!engine) {
      const pre = compiling && compiling.url === m.module ? compiling.module : null;
      compiling = null; // a failed start fetches the module itself
      const early = pre ? { compiled: pre, hot: fetch(m.hot) } : { module: fetch(m.module), hot: fetch(m.hot) };
      if (typeof kokiSearchOpen === 'undefined') importScripts('loader.js');
      engine = kokiSearchOpen(m.module, m.hot, m.parts, early);
    }
    e = await engine;
  } catch (err) {
    engine = null;
    // A warm-up has no one waiting for it; the next request reports the failure.
    if (m.request) self.postMessage({ id: m.id, error: String((err && err.message) || err) });
    return;
  }
  if (!m.request) return; // warm-up only: module and hot file are loaded
  try {
    self.postMessage({ id: m.id, answer: await e.search(m.request) });
  } catch (err) {
    self.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
};
