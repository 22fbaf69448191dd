/* koki search worker: keeps the search module off the main thread so typing stays smooth.
   Messages in:  {id, module, bundle, request}   (module/bundle: absolute URLs)
   Messages out: {id, answer} or {id, error}                                               */
importScripts('loader.js');
let engine = null;
self.onmessage = async (event) => {
  const m = event.data;
  try {
    if (!engine) engine = kokiSearchOpen(m.module, m.bundle);
    const e = await engine;
    self.postMessage({ id: m.id, answer: e.search(m.request) });
  } catch (err) {
    engine = null;
    self.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
};
