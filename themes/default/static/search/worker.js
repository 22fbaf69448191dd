/* koki search worker: keeps the search module off the main thread so typing stays smooth.
   Messages in:  {prefetch}   (absolute URL of the module, named by the page: start its
                 download before the manifest is known; answers nothing)
                 {id, module, hot, parts, request}   (absolute URLs; parts ends with '/';
                 without `request`: only load module and hot file, answer nothing)
   Messages out: {id, answer} or {id, error}
   A failed start (module or hot file) is retried with the next request; a part that failed
   to load is fetched again by the next request, the parts that arrived stay loaded.
   The module and the hot file are requested before loader.js is read (importScripts blocks),
   so their downloads do not wait for it.                                                   */
let engine = null;
let prefetched = null; // {url, response} of a module download started by a `prefetch` message
self.onmessage = async (event) => {
  const m = event.data;
  if (m.prefetch) {
    if (!engine && !prefetched) prefetched = { url: m.prefetch, response: fetch(m.prefetch) };
    return;
  }
  let e;
  try {
    if (!engine) {
      const module = prefetched && prefetched.url === m.module ? prefetched.response : fetch(m.module);
      prefetched = null; // a failed start fetches again
      const early = { module, hot: fetch(m.hot) };
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
