/* "Passt zu meiner Kommune": narrows the pre-rendered list on /passend/ by size class,
   rurality and Land. Without this script the page offers the same choice as static links.
   No network requests, no storage; the choice is kept in the address (?gemeindetyp=…). */
/* Kreis choice: the visitor types the name of their Kreis (the datalist suggests names) and
   goes to its static page passend/kreis/<AGS>/. Without this script the same pages are
   reachable from the list of all Kreise below the form. No network requests. */
(function () {
  'use strict';
  var form = document.getElementById('kreis-form');
  var input = document.getElementById('kreis-eingabe');
  var list = document.getElementById('kreis-vorschlaege');
  var error = document.getElementById('kreis-fehler');
  if (!form || !input || !list || !error) {
    return;
  }
  function fold(s) {
    return s.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue')
      .replace(/ß/g, 'ss').replace(/\s+/g, ' ').trim();
  }
  function find(name) {
    var wanted = fold(name);
    var options = list.options;
    var prefix = null;
    for (var i = 0; i < options.length; i++) {
      var candidate = fold(options[i].value);
      if (candidate === wanted || candidate === fold('Landkreis ' + name) || candidate === fold('Kreis ' + name)) {
        return options[i].getAttribute('data-url');
      }
      if (prefix === null && wanted.length >= 3 && candidate.replace(/^(land)?kreis /, '').indexOf(wanted) === 0) {
        prefix = options[i].getAttribute('data-url');
      }
    }
    return prefix;
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var url = find(input.value);
    if (url) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      window.location.href = url;
    } else {
      error.textContent = form.getAttribute('data-text-unknown');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });
  form.hidden = false;
})();

(function () {
  'use strict';
  var section = document.getElementById('passend-auswahl');
  var form = document.getElementById('passend-form');
  var list = document.getElementById('passend-liste');
  var out = document.getElementById('passend-anzahl');
  if (!section || !form || !list || !out || !window.URLSearchParams) {
    return;
  }
  var keys = ['gemeindetyp', 'laendlichkeit', 'bundesland'];
  var items = list.children;
  var total = items.length;

  function selected() {
    var sel = {};
    for (var i = 0; i < keys.length; i++) {
      sel[keys[i]] = form.elements[keys[i]].value;
    }
    return sel;
  }

  function apply(updateAddress) {
    var sel = selected();
    var any = false;
    for (var s = 0; s < keys.length; s++) {
      if (sel[keys[s]]) {
        any = true;
      }
    }
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var match = true;
      for (var k = 0; k < keys.length; k++) {
        var want = sel[keys[k]];
        if (want && item.getAttribute('data-' + keys[k]) !== want) {
          match = false;
          break;
        }
      }
      item.hidden = !match;
      if (match) {
        shown++;
      }
    }
    list.hidden = !any;
    out.textContent = !any
      ? form.getAttribute('data-text-start')
      : shown > 0
      ? form.getAttribute('data-text-count').replace('{n}', String(shown)).replace('{total}', String(total))
      : form.getAttribute('data-text-none');
    if (updateAddress && window.history && window.history.replaceState) {
      var params = new URLSearchParams();
      for (var j = 0; j < keys.length; j++) {
        if (sel[keys[j]]) {
          params.set(keys[j], sel[keys[j]]);
        }
      }
      var query = params.toString();
      window.history.replaceState(null, '', window.location.pathname + (query ? '?' + query : ''));
    }
  }

  // Restore a choice from the address, ignoring unknown values.
  var initial = new URLSearchParams(window.location.search);
  for (var i = 0; i < keys.length; i++) {
    var value = initial.get(keys[i]);
    var select = form.elements[keys[i]];
    if (value) {
      for (var o = 0; o < select.options.length; o++) {
        if (select.options[o].value === value) {
          select.value = value;
        }
      }
    }
  }
  form.addEventListener('change', function () { apply(true); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    apply(true);
  });
  section.hidden = false;
  apply(false);
})();
