/* koki search page (/suche/): vanilla JS, no framework, nothing from other hosts.
   The search runs in a Web Worker (worker.js) with the same Rust search core as `koki search`,
   compiled to WebAssembly. Module and index are fetched on the first interaction.
   State lives in the URL: ?q=…&handlungsfeld=…&bundesland=…&sort=…                        */
(function () {
  'use strict';
  var form = document.getElementById('suche-form');
  if (!form) return;
  if (!window.Worker || !window.WebAssembly || !window.URLSearchParams) {
    var note = document.createElement('p');
    note.className = 'notice';
    note.textContent = 'Ihr Browser unterstützt die Volltextsuche nicht. Alle Beispiele finden Sie über die Filterseiten.';
    form.parentNode.insertBefore(note, form);
    return;
  }
  var base = form.getAttribute('data-base') || '/';
  var texts = JSON.parse(document.getElementById('suche-texte').textContent);
  var input = document.getElementById('suche-q');
  var sortSel = document.getElementById('suche-sort');
  var statusEl = document.getElementById('suche-status');
  var list = document.getElementById('suche-treffer');
  var facetsEl = document.getElementById('suche-facetten');
  var more = document.getElementById('suche-mehr');
  var PAGE = 20;
  var FACETS = texts.facetten; // [[name, legend], …] in display order
  var worker = null, manifest = null, labels = null, seq = 0, latest = 0, timer = 0;
  var state = readUrl();
  var shown = 0;

  document.documentElement.classList.add('js-suche');
  document.getElementById('suche-ui').hidden = false;

  function abs(path) { return new URL(path, document.baseURI).href; }

  function readUrl() {
    var p = new URLSearchParams(location.search);
    var s = { q: p.get('q') || '', sort: p.get('sort') || 'relevance', filters: {} };
    FACETS.forEach(function (f) {
      var v = p.getAll(f[0]).filter(Boolean);
      if (v.length) s.filters[f[0]] = v;
    });
    return s;
  }

  function writeUrl(push) {
    var p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    FACETS.forEach(function (f) {
      (state.filters[f[0]] || []).forEach(function (v) { p.append(f[0], v); });
    });
    if (state.sort !== 'relevance') p.set('sort', state.sort);
    var qs = p.toString();
    var url = location.pathname + (qs ? '?' + qs : '');
    if (url !== location.pathname + location.search) {
      history[push ? 'pushState' : 'replaceState'](null, '', url);
    }
  }

  function setStatus(text) { statusEl.textContent = text; }

  // The worker script, the manifest and the module load at the same time: none waits for another.
  var starting = null;
  function start() {
    if (manifest) return Promise.resolve();
    if (starting) return starting;
    setStatus(texts.laden);
    if (!worker) {
      worker = new Worker(abs(base + 'static/search/worker.js'));
      worker.onmessage = onAnswer;
      compileModule(form.getAttribute('data-modul'));
    }
    starting = fetch(abs(base + 'suche/manifest.json'))
      .then(function (r) {
        if (!r.ok) throw new Error('manifest.json: HTTP ' + r.status);
        return r.json();
      })
      .then(function (m) { manifest = m; })
      .finally(function () { starting = null; });
    return starting;
  }

  /** The page names the module (the largest file, and compiling it takes longest): it is
      downloaded and compiled here, while the worker script and the manifest load, and handed
      to the worker compiled. The worker fetches the module itself if this fails or the
      manifest names another file (a page older than the site). */
  function compileModule(module) {
    if (!module || !WebAssembly.compileStreaming) return;
    var url = abs(module);
    worker.postMessage({ compiling: url });
    WebAssembly.compileStreaming(fetch(url)).then(function (compiled) {
      worker.postMessage({ compiled: compiled });
    }).catch(function () {
      worker.postMessage({ compiled: null });
    });
  }

  /** Where the worker finds the module, the hot file and the parts (from the manifest). */
  function indexUrls() {
    return {
      module: abs(base + 'suche/' + manifest.module),
      hot: abs(base + 'suche/' + manifest.hot),
      parts: abs(base + 'suche/' + manifest.parts_dir + '/')
    };
  }

  function hasState() {
    return state.q !== '' || Object.keys(state.filters).length > 0;
  }

  function run(offset) {
    start().then(function () {
      var id = ++seq;
      latest = id;
      var message = indexUrls();
      message.id = id;
      message.request = {
        q: state.q, filters: state.filters, sort: state.sort,
        limit: PAGE, offset: offset || 0, labels: labels === null
      };
      worker.postMessage(message);
      worker.pending = worker.pending || {};
      worker.pending[id] = offset || 0;
    }).catch(fail);
  }

  // A failed load is shown as such (never as an empty result), with a button that asks again.
  var retry = null, retryOffset = 0;
  function fail(err, offset) {
    setStatus(texts.fehler + ' (' + (err && err.message ? err.message : err) + ')');
    retryOffset = offset || 0;
    if (!retryOffset) list.textContent = ''; // hits of an earlier query would read as this one's
    more.hidden = true;
    if (!retry) {
      retry = el('button', 'search-retry', texts.erneut);
      retry.type = 'button';
      retry.id = 'suche-erneut';
      retry.addEventListener('click', function () {
        retry.hidden = true;
        run(retryOffset);
      });
      statusEl.parentNode.insertBefore(retry, statusEl.nextSibling);
    }
    retry.hidden = false;
  }

  function onAnswer(ev) {
    var m = ev.data;
    var offset = worker.pending[m.id];
    delete worker.pending[m.id];
    if (m.id !== latest) return; // an older answer; a newer request is on its way
    if (m.error) { fail(m.error, offset); return; }
    if (retry) retry.hidden = true;
    var a = m.answer;
    if (a.labels) labels = a.labels;
    renderHits(a, offset);
    if (!offset) renderFacets(a.facets);
    var n = a.total;
    var msg = n === 1 ? texts.ein_treffer : texts.treffer.replace('{n}', n.toLocaleString('de-DE'));
    if (state.q) msg += ' ' + texts.fuer.replace('{q}', state.q);
    setStatus(msg);
  }

  function label(facet, value) {
    return (labels && labels[facet] && labels[facet][value]) || value;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderHits(a, offset) {
    if (!offset) list.textContent = '';
    a.hits.forEach(function (h) {
      var li = el('li', 'card search-hit');
      var h2 = el('h2', 'card-title');
      var link = el('a', null, h.title);
      link.href = base + h.url;
      h2.appendChild(link);
      li.appendChild(h2);
      var facts = (h.kind === 'szenario' ? [] : h.kommunen).concat(h.key_facts);
      if (facts.length) li.appendChild(el('p', 'card-meta', facts.join(' · ')));
      var p = el('p', 'search-snippet');
      p.innerHTML = h.snippet; // escaped by the search core; only <mark> is markup
      li.appendChild(p);
      list.appendChild(li);
    });
    shown = offset + a.hits.length;
    more.hidden = shown >= a.total;
  }

  function sortedValues(facet, counts) {
    var vals = Object.keys(counts);
    if (facet === 'einwohner') {
      var order = ['unter-5000', '5000-20000', '20000-100000', '100000-500000', 'ab-500000'];
      return order.filter(function (v) { return v in counts; });
    }
    if (facet === 'start_jahr') return vals.sort().reverse();
    return vals.sort(function (x, y) { return label(facet, x).localeCompare(label(facet, y), 'de'); });
  }

  function renderFacets(facets) {
    var focusedId = document.activeElement && facetsEl.contains(document.activeElement)
      ? document.activeElement.id : null;
    facetsEl.textContent = '';
    FACETS.forEach(function (f) {
      var name = f[0], counts = facets[name] || {};
      var values = sortedValues(name, counts);
      if (!values.length) return;
      var fs = el('fieldset', 'search-facet');
      fs.appendChild(el('legend', null, f[1]));
      var ul = el('ul', 'facet-list');
      values.forEach(function (v) {
        var li = el('li');
        var id = 'f-' + name + '-' + v.replace(/[^a-z0-9_-]/gi, '_');
        var cb = el('input');
        cb.type = 'checkbox';
        cb.id = id;
        cb.name = name;
        cb.value = v;
        cb.checked = (state.filters[name] || []).indexOf(v) >= 0;
        var lab = el('label', null, label(name, v) + ' ');
        lab.htmlFor = id;
        lab.appendChild(el('span', 'count', '(' + counts[v] + ')'));
        li.appendChild(cb);
        li.appendChild(lab);
        ul.appendChild(li);
      });
      fs.appendChild(ul);
      facetsEl.appendChild(fs);
    });
    if (focusedId) {
      var again = document.getElementById(focusedId);
      if (again) again.focus();
    }
  }

  function search(push) {
    writeUrl(push);
    run(0);
  }

  // Events.
  input.value = state.q;
  sortSel.value = state.sort;
  // Focusing the box starts loading the module and the hot file, so the first query only
  // waits for the parts it needs.
  input.addEventListener('focus', function () {
    start().then(function () {
      worker.postMessage(indexUrls());
      if (!hasState() && latest === 0) setStatus(texts.bereit);
    }).catch(fail);
  }, { once: true });
  input.addEventListener('input', function () {
    state.q = input.value.trim();
    clearTimeout(timer);
    timer = setTimeout(function () { search(false); }, 150);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    state.q = input.value.trim();
    search(true);
  });
  sortSel.addEventListener('change', function () { state.sort = sortSel.value; search(true); });
  facetsEl.addEventListener('change', function (e) {
    var cb = e.target;
    if (!cb || cb.type !== 'checkbox') return;
    var vals = state.filters[cb.name] || [];
    if (cb.checked) { if (vals.indexOf(cb.value) < 0) vals.push(cb.value); }
    else vals = vals.filter(function (v) { return v !== cb.value; });
    if (vals.length) state.filters[cb.name] = vals; else delete state.filters[cb.name];
    search(true);
  });
  more.addEventListener('click', function () {
    var firstNew = shown;
    run(shown);
    // Move focus to the first new result once it is there (keyboard users keep their place).
    var obs = new MutationObserver(function () {
      var li = list.children[firstNew];
      if (li) { obs.disconnect(); var a = li.querySelector('a'); if (a) a.focus(); }
    });
    obs.observe(list, { childList: true });
  });
  document.getElementById('suche-zuruecksetzen').addEventListener('click', function () {
    state = { q: '', sort: 'relevance', filters: {} };
    input.value = '';
    sortSel.value = 'relevance';
    search(true);
    input.focus();
  });
  window.addEventListener('popstate', function () {
    state = readUrl();
    input.value = state.q;
    sortSel.value = state.sort;
    run(0);
  });

  if (hasState()) run(0); else setStatus(texts.bereit);
})();
