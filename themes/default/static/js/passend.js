/* "Passt zu meiner Kommune": narrows the pre-rendered list on /passend/ by size class,
   rurality and Land. Without this script the page offers the same choice as static links.
   No network requests, no storage; the choice is kept in the address (?gemeindetyp=…). */
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
