// The submission form "Beispiel einreichen": collects what the visitor types, lets the
// koki-form-wasm module (koki's own parser and validator) compose and check the file, shows
// the diagnostics next to their fields, keeps the draft in localStorage and offers the file
// for download, copy, the repository's "new file" page or e-mail. Nothing is sent anywhere
// until the visitor clicks one of those buttons; the module and context come from this site.
(function () {
  "use strict";
  var form = document.getElementById("einreichen");
  if (!form || typeof WebAssembly !== "object") return;
  var noJs = document.getElementById("einreichen-ohne-js");
  form.hidden = false;
  if (noJs) noJs.hidden = true;

  var $ = function (id) { return document.getElementById(id); };
  var summary = $("einreichen-pruefung");
  var errorList = $("einreichen-fehlerliste");
  var fileLabel = $("einreichen-datei");
  var preview = $("einreichen-vorschau");
  var notice = $("einreichen-hinweis");
  var params = new URLSearchParams(location.search);
  var correction = params.get("korrektur");
  if (correction && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(correction)) correction = null;
  var storageKey = "koki-entwurf:" + (correction || "neu");
  var original = null;       // text of the file being corrected
  var originalDraft = null;  // its fields, for values the form does not show
  var last = null;           // last answer of the module: {datei, text, diagnosen}
  var mod = null;
  var files = [];            // site-relative paths of the catalog's files (kontext.json)
  var URL_LIMIT = 8000;      // longest "new file" address we open; longer → download
  var MAIL_LIMIT = 1800;

  // --- the module ---------------------------------------------------------------------
  function call(name, text) {
    var e = mod.exports;
    var bytes = new TextEncoder().encode(text);
    var ptr = e.koki_alloc(bytes.length);
    new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
    var status = e[name](ptr, bytes.length);
    e.koki_dealloc(ptr, bytes.length);
    var out = new Uint8Array(e.memory.buffer, e.koki_result_ptr(), e.koki_result_len());
    var answer = out.length ? JSON.parse(new TextDecoder().decode(out)) : {};
    if (status !== 0) throw new Error(answer.error || "Fehler im Prüfmodul");
    return answer;
  }

  function load() {
    return Promise.all([
      fetch(form.dataset.modul).then(function (r) {
        if (!r.ok) throw new Error("Prüfmodul: HTTP " + r.status);
        return r.arrayBuffer();
      }).then(function (b) { return WebAssembly.instantiate(b, {}); }),
      fetch(form.dataset.kontext).then(function (r) {
        if (!r.ok) throw new Error("Kontext: HTTP " + r.status);
        return r.text();
      })
    ]).then(function (parts) {
      mod = parts[0].instance;
      call("koki_open", parts[1]);
      files = JSON.parse(parts[1]).dateien || [];
    });
  }

  // --- reading and filling the form ---------------------------------------------------
  function elements() {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name; });
  }

  function setPath(obj, path, value) {
    var keys = path.split(".");
    var cur = obj;
    for (var i = 0; i < keys.length - 1; i++) {
      var k = /^\d+$/.test(keys[i]) ? Number(keys[i]) : keys[i];
      if (cur[k] === undefined) cur[k] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      cur = cur[k];
    }
    var last = keys[keys.length - 1];
    cur[/^\d+$/.test(last) ? Number(last) : last] = value;
  }

  // Values of the form as one object (top-level keys in form order).
  function values() {
    var out = {};
    elements().forEach(function (el) {
      if (el.name === "text" || el.name.indexOf("text.") === 0) return;
      if (el.type === "checkbox") {
        var list = out[el.name] || [];
        if (el.checked) list.push(el.value);
        out[el.name] = list;
        return;
      }
      var v = el.value;
      if (el.dataset.zahl && /^\s*\d+\s*$/.test(v)) v = Number(v);
      setPath(out, el.name, v);
    });
    return out;
  }

  // Deep merge for corrections: what the form shows wins, everything else stays.
  function merge(base, over) {
    if (Array.isArray(over)) {
      if (!over.length || typeof over[0] !== "object") {
        // Ticked values keep the entry's own order; newly ticked ones follow.
        var kept = Array.isArray(base) ? base.filter(function (x) { return over.indexOf(x) >= 0; }) : [];
        return kept.concat(over.filter(function (x) { return kept.indexOf(x) < 0; }));
      }
      var n = Math.max(over.length, Array.isArray(base) ? base.length : 0);
      var out = [];
      for (var i = 0; i < n; i++) {
        var b = Array.isArray(base) ? base[i] : undefined;
        out.push(over[i] === undefined ? b : merge(b, over[i]));
      }
      return out;
    }
    if (over && typeof over === "object") {
      var res = {};
      if (base && typeof base === "object" && !Array.isArray(base)) {
        Object.keys(base).forEach(function (k) { res[k] = base[k]; });
      }
      Object.keys(over).forEach(function (k) { res[k] = merge(res[k], over[k]); });
      return res;
    }
    return over;
  }

  function bodyText() {
    if (correction) return $("f-text").value;
    var parts = [];
    form.querySelectorAll("textarea[data-abschnitt]").forEach(function (t) {
      if (t.value.trim()) parts.push("## " + t.dataset.abschnitt + "\n\n" + t.value.trim());
    });
    return parts.join("\n\n");
  }

  function draft() {
    var v = values();
    var felder = [];
    if (originalDraft) {
      var base = {};
      originalDraft.felder.forEach(function (p) { base[p[0]] = p[1]; });
      var merged = merge(base, v);
      originalDraft.felder.forEach(function (p) { felder.push([p[0], merged[p[0]]]); });
      Object.keys(v).forEach(function (k) {
        if (!Object.prototype.hasOwnProperty.call(base, k)) felder.push([k, merged[k]]);
      });
    } else {
      Object.keys(v).forEach(function (k) { felder.push([k, v[k]]); });
      var today = new Date().toISOString().slice(0, 10);
      felder.push(["erfasst_am", today], ["redaktionsstatus", "eingereicht"], ["lizenz", "CC-BY-4.0"]);
    }
    return { felder: felder, text: bodyText() };
  }

  function listSlots(name) {
    return form.querySelectorAll('fieldset[data-liste="' + name + '"] > fieldset');
  }

  // A further slot of a repeated group (Kommune, Quelle), cloned from the last one.
  function addSlot(name) {
    var slots = listSlots(name);
    var lastSlot = slots[slots.length - 1];
    var n = slots.length;
    var clone = lastSlot.cloneNode(true);
    var from = name + "." + (n - 1);
    var to = name + "." + n;
    var idFrom = "f-" + from.replace(/[._]/g, "-");
    var idTo = "f-" + to.replace(/[._]/g, "-");
    clone.querySelectorAll("[name],[id],[for],[aria-describedby],[data-feld]").forEach(function (el) {
      ["name", "data-feld"].forEach(function (a) {
        if (el.getAttribute(a)) el.setAttribute(a, el.getAttribute(a).split(from).join(to));
      });
      ["id", "for", "aria-describedby"].forEach(function (a) {
        if (el.getAttribute(a)) el.setAttribute(a, el.getAttribute(a).split(idFrom).join(idTo));
      });
      if (el.value !== undefined && el.tagName !== "BUTTON") el.value = "";
      el.removeAttribute("aria-required");
      el.removeAttribute("aria-invalid");
    });
    clone.id = idTo;
    clone.setAttribute("data-feld", to);
    var legend = clone.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+.*$/, String(n + 1));
    lastSlot.parentNode.insertBefore(clone, lastSlot.nextSibling);
    return clone;
  }

  function fill(obj, prefix) {
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      var name = prefix + k;
      if (Array.isArray(v) && v.length && typeof v[0] === "object") {
        while (listSlots(name).length < v.length) addSlot(name);
        v.forEach(function (item, i) { if (item) fill(item, name + "." + i + "."); });
      } else if (Array.isArray(v)) {
        form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) {
          c.checked = v.indexOf(c.value) >= 0;
        });
      } else if (v && typeof v === "object") {
        fill(v, name + ".");
      } else {
        var el = form.elements.namedItem(name);
        if (!el || el.length !== undefined && !el.tagName) return;
        if (el.tagName === "SELECT" && v !== "" && !el.querySelector('option[value="' + CSS.escape(String(v)) + '"]')) {
          var o = document.createElement("option");
          o.value = String(v);
          o.textContent = String(v);
          el.appendChild(o);
        }
        el.value = v === null || v === undefined ? "" : String(v);
      }
    });
  }

  // --- drafts in this browser ---------------------------------------------------------
  function save() {
    try {
      var state = { werte: {}, listen: {} };
      elements().forEach(function (el) {
        if (el.type === "checkbox") {
          if (el.checked) (state.werte[el.name] = state.werte[el.name] || []).push(el.value);
        } else if (el.value) {
          state.werte[el.name] = el.value;
        }
      });
      form.querySelectorAll("fieldset[data-liste]").forEach(function (f) {
        state.listen[f.dataset.liste] = listSlots(f.dataset.liste).length;
      });
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (e) { /* storage full or disabled: the form still works */ }
  }

  function restore() {
    var state;
    try { state = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { state = null; }
    if (!state || !state.werte) return false;
    Object.keys(state.listen || {}).forEach(function (name) {
      while (listSlots(name).length < state.listen[name]) addSlot(name);
    });
    elements().forEach(function (el) {
      var v = state.werte[el.name];
      if (el.type === "checkbox") el.checked = Array.isArray(v) && v.indexOf(el.value) >= 0;
      else if (v !== undefined) el.value = v;
    });
    return true;
  }

  // --- diagnostics next to their fields -----------------------------------------------
  // `kommunen[0].ags` → the input `kommunen.0.ags`, or the nearest enclosing field.
  function targetOf(field) {
    if (!field) return null;
    var name = field.replace(/\[(\d+)\]/g, ".$1");
    while (name) {
      var box = form.querySelector('[data-feld="' + name + '"]');
      if (box) return box;
      var cut = name.lastIndexOf(".");
      name = cut > 0 ? name.slice(0, cut) : "";
    }
    return null;
  }

  function clearErrors() {
    form.querySelectorAll(".form-error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    errorList.textContent = "";
  }

  function describe(d) {
    var text = d.message;
    if (d.expected) text += " – erwartet: " + d.expected;
    if (d.hint) text += " – " + d.hint;
    return text;
  }

  function show(answer) {
    clearErrors();
    last = answer;
    fileLabel.textContent = answer.datei;
    preview.textContent = answer.text;
    var errors = 0, warnings = 0;
    answer.diagnosen.forEach(function (d) {
      if (d.severity === "error") errors++; else warnings++;
      var box = targetOf(d.field);
      var li = document.createElement("li");
      var label = box ? (box.querySelector("label, legend") || {}).textContent : "";
      var text = (label ? label.replace(/\s*\(Pflicht\)/, "") + ": " : "") + describe(d);
      if (box) {
        var err = box.querySelector(":scope > .form-error");
        if (err) {
          err.textContent = (err.textContent ? err.textContent + " " : "") + describe(d);
          err.hidden = false;
        }
        var input = box.matches("input,select,textarea") ? box : box.querySelector("input,select,textarea");
        if (input && box.tagName !== "FIELDSET") input.setAttribute("aria-invalid", "true");
        if (box.tagName === "FIELDSET") box.setAttribute("aria-invalid", "true");
        var a = document.createElement("a");
        a.href = "#" + (input && box.tagName !== "FIELDSET" ? input.id : box.id);
        a.textContent = text;
        li.appendChild(a);
      } else {
        li.textContent = text;
      }
      li.className = d.severity;
      errorList.appendChild(li);
    });
    summary.textContent = errors
      ? (errors === 1 ? "1 Fehler" : errors + " Fehler") + " – bitte korrigieren Sie die markierten Angaben."
      : "Keine Fehler: Die Datei entspricht den Regeln des Katalogs." + (warnings ? " " + warnings + " Hinweis(e)." : "");
    ["einreichen-forge", "einreichen-mail"].forEach(function (id) {
      var b = $(id);
      if (b) b.disabled = errors > 0;
    });
  }

  // The file of the corrected example: `.md` or `.yaml`, as the catalog has it.
  function correctedFile() {
    var stem = "content/beispiele/" + correction + ".";
    var found = files.filter(function (f) { return f.indexOf(stem) === 0; })[0];
    return found || stem + "md";
  }

  function run() {
    if (!mod) return;
    var request = { aktion: "erzeugen", entwurf: draft(), neu: !correction };
    if (correction) {
      request.datei = correctedFile();
      request.original = original;
    }
    try { show(call("koki_form", JSON.stringify(request))); }
    catch (e) { summary.textContent = "Die Prüfung ist fehlgeschlagen: " + e.message; }
  }

  var timer = null;
  function changed() {
    save();
    clearTimeout(timer);
    timer = setTimeout(function () { timer = null; run(); }, 250);
  }

  // An output action right after a change must not hand out the file as it was before it:
  // a pending check runs now, so `last` holds what the form shows.
  function flush() {
    if (timer === null) return;
    clearTimeout(timer);
    timer = null;
    run();
  }

  // --- output -------------------------------------------------------------------------
  function fileName() { return last.datei.split("/").pop(); }

  function download() {
    flush();
    if (!last) return;
    var blob = new Blob([last.text], { type: "text/markdown;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = fileName();
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    notice.textContent = "Die Datei " + fileName() + " wurde heruntergeladen.";
  }

  function forgeUrl() {
    var repo = form.dataset.repo.replace(/\/+$/, "");
    var branch = encodeURIComponent(form.dataset.zweig || "main");
    var path = last.datei;
    var gitlab = /gitlab/i.test(new URL(repo).hostname);
    if (correction) {
      return gitlab ? repo + "/-/edit/" + branch + "/" + path : repo + "/edit/" + branch + "/" + path;
    }
    return gitlab
      ? repo + "/-/new/" + branch + "?file_name=" + encodeURIComponent(path) + "&content=" + encodeURIComponent(last.text)
      : repo + "/new/" + branch + "?filename=" + encodeURIComponent(path) + "&value=" + encodeURIComponent(last.text);
  }

  function openForge() {
    flush();
    if (!last) return;
    var url = forgeUrl();
    if (url.length > URL_LIMIT) {
      download();
      notice.textContent = "Der Eintrag ist zu lang für eine Adresse. Die Datei wurde heruntergeladen; laden Sie sie im Repository hoch.";
      return;
    }
    if (correction) {
      download();
      notice.textContent = "Die geänderte Datei wurde heruntergeladen; ersetzen Sie auf der geöffneten Seite den Inhalt durch ihren Text.";
    }
    window.open(url, "_blank", "noopener");
  }

  function mail() {
    flush();
    if (!last) return;
    var subject = (correction ? "Korrektur: " : "Neues Beispiel: ") + last.datei;
    var body = last.text.length > MAIL_LIMIT
      ? "Die Datei " + fileName() + " hängt an (bitte die heruntergeladene Datei anfügen)."
      : last.text;
    if (last.text.length > MAIL_LIMIT) download();
    location.href = "mailto:" + form.dataset.email + "?subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(body);
  }

  function copy() {
    flush();
    if (!last || !navigator.clipboard) return;
    navigator.clipboard.writeText(last.text).then(function () {
      notice.textContent = "Der Text der Datei ist in der Zwischenablage.";
    }, function () {
      notice.textContent = "Kopieren ist nicht möglich; bitte nutzen Sie „Datei herunterladen“.";
    });
  }

  function clearDraft() {
    try { localStorage.removeItem(storageKey); } catch (e) { /* nothing stored */ }
    form.reset();
    if (originalDraft) fill(Object.fromEntries(originalDraft.felder), "");
    if (correction) $("f-text").value = originalDraft ? originalDraft.text : "";
    notice.textContent = "Der Entwurf wurde gelöscht.";
    run();
  }

  // --- start --------------------------------------------------------------------------
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-add]");
    if (!b) return;
    var slot = addSlot(b.dataset.add);
    var first = slot.querySelector("input,select,textarea");
    if (first) first.focus();
    changed();
  });
  $("einreichen-herunterladen").addEventListener("click", download);
  $("einreichen-kopieren").addEventListener("click", copy);
  $("einreichen-loeschen").addEventListener("click", clearDraft);
  if ($("einreichen-forge")) $("einreichen-forge").addEventListener("click", openForge);
  if ($("einreichen-mail")) $("einreichen-mail").addEventListener("click", mail);

  summary.textContent = "Prüfmodul wird geladen …";
  var ready = load();
  if (correction) {
    form.querySelectorAll(".neu-nur").forEach(function (el) { el.hidden = true; });
    form.querySelectorAll(".korrektur-nur").forEach(function (el) { el.hidden = false; });
    ready = ready.then(function () {
      return fetch(form.dataset.quellen + correction + ".md").then(function (r) {
        if (!r.ok) throw new Error("Eintrag „" + correction + "“ nicht gefunden (HTTP " + r.status + ")");
        return r.text();
      });
    }).then(function (text) {
      original = text;
      originalDraft = call("koki_form", JSON.stringify({ aktion: "entwurf", text: text })).entwurf;
      if (!originalDraft) throw new Error("Eintrag „" + correction + "“ ist nicht lesbar");
      var fields = {};
      originalDraft.felder.forEach(function (p) { fields[p[0]] = p[1]; });
      fill(fields, "");
      $("f-text").value = originalDraft.text;
      $("einreichen-modus").textContent = "Korrektur des Eintrags „" + (fields.titel || correction) + "“: Ändern Sie, was nicht stimmt oder fehlt. Die Datei enthält danach nur Ihre Änderungen. Nichts verlässt Ihren Browser, bevor Sie einen der Knöpfe unten wählen.";
    });
  }
  ready.then(function () {
    restore();
    run();
  }).catch(function (e) {
    summary.textContent = "Das Formular konnte nicht geladen werden: " + e.message + ". Bitte laden Sie die Seite neu.";
  });
})();
