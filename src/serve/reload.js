/* koki serve: live reload and build error overlay. Injected only by `koki serve`, never part
   of the built site. Plain ES5 so that old browsers run it too. */
(function () {
  "use strict";
  if (!window.EventSource || !document.addEventListener) {
    return;
  }
  var me = document.currentScript;
  var site = me && me.getAttribute("data-site") !== null ? Number(me.getAttribute("data-site")) : null;
  var panel = null;
  var styled = false;
  var dismissed = -1;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.appendChild(document.createTextNode(String(text)));
    }
    return node;
  }

  function addStyles() {
    if (styled) {
      return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "/__koki/overlay.css";
    (document.head || document.documentElement).appendChild(link);
    styled = true;
  }

  function hide() {
    if (panel && panel.parentNode) {
      panel.parentNode.removeChild(panel);
    }
    panel = null;
  }

  function position(d) {
    var text = d.file || "";
    if (d.line) {
      text += ":" + d.line;
      if (d.column) {
        text += ":" + d.column;
      }
    }
    return text;
  }

  function show(status) {
    if (status.generation === dismissed) {
      return;
    }
    addStyles();
    hide();
    panel = el("div", "koki-overlay");
    panel.setAttribute("role", "alert");
    panel.setAttribute("lang", "de");
    panel.setAttribute("aria-labelledby", "koki-overlay-title");
    var title = el("h2", "koki-overlay__title", "koki: Build fehlgeschlagen");
    title.id = "koki-overlay-title";
    panel.appendChild(title);
    panel.appendChild(el("p", "koki-overlay__summary",
      (status.summary || status.message) + ". Angezeigt wird der letzte fehlerfreie Stand; nach dem Speichern einer Korrektur lädt die Seite neu."));
    var list = el("ol", "koki-overlay__list");
    var items = status.diagnostics || [];
    for (var i = 0; i < items.length; i++) {
      var d = items[i];
      var li = el("li", "koki-overlay__item koki-overlay__item--" + d.severity);
      var where = position(d);
      if (where) {
        li.appendChild(el("code", "koki-overlay__where", where));
      }
      li.appendChild(el("span", "koki-overlay__severity", d.severity === "warning" ? "Warnung" : "Fehler"));
      li.appendChild(el("p", "koki-overlay__message", (d.field ? "Feld „" + d.field + "“: " : "") + d.message));
      if (d.expected) {
        li.appendChild(el("p", "koki-overlay__detail", "erwartet: " + d.expected));
      }
      if (d.hint) {
        li.appendChild(el("p", "koki-overlay__detail", "Hilfe: " + d.hint));
      }
      list.appendChild(li);
    }
    panel.appendChild(list);
    var close = el("button", "koki-overlay__close", "Schließen");
    close.type = "button";
    close.addEventListener("click", function () {
      dismissed = status.generation;
      hide();
    });
    panel.appendChild(close);
    document.body.appendChild(panel);
  }

  function check() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/__koki/status");
    xhr.setRequestHeader("Cache-Control", "no-store");
    xhr.onload = function () {
      if (xhr.status !== 200) {
        return;
      }
      var status;
      try {
        status = JSON.parse(xhr.responseText);
      } catch (e) {
        return;
      }
      if (status.ok) {
        hide();
      } else {
        show(status);
      }
    };
    xhr.send();
  }

  function data(event) {
    try {
      return JSON.parse(event.data);
    } catch (e) {
      return {};
    }
  }

  document.addEventListener("keydown", function (event) {
    if (panel && (event.key === "Escape" || event.key === "Esc")) {
      dismissed = -2;
      hide();
    }
  });

  var events = new EventSource("/__koki/events");
  events.addEventListener("hello", function (event) {
    var d = data(event);
    // A newer good build than the one this page shows (or a restarted server): reload.
    if (site !== null && d.site_generation !== site && d.site_generation > 0) {
      window.location.reload();
      return;
    }
    site = d.site_generation;
    if (d.ok) {
      hide();
    } else {
      check();
    }
  });
  events.addEventListener("reload", function () {
    window.location.reload();
  });
  events.addEventListener("buildfailed", function () {
    check();
  });
})();
