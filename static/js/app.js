// Nära: small enhancements on top of pages that work without JavaScript.
(function () {
  "use strict";

  // htmx requests carry the CSRF token from the page's meta tag; a poll also carries the
  // tag of what it shows, so the server can answer 304 with no body when nothing changed.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
    var elt = event.detail.elt;
    if (elt.dataset && elt.dataset.poll) {
      // A poll is not the person doing something: it does not hold off the PIN lock.
      event.detail.headers["X-Nara-Background"] = "1";
      if (elt.dataset.etag && event.detail.verb === "get") { event.detail.headers["If-None-Match"] = elt.dataset.etag; }
    }
    // Sending into a list the page keeps up to date tells the server what the list shows:
    // when nothing else changed, the answer is only the new message, added at the end.
    var list = event.detail.target;
    if (event.detail.verb === "post" && list && list.dataset && list.dataset.poll && list.dataset.etag) {
      event.detail.headers["X-Nara-Shown"] = list.dataset.etag;
    }
  });

  // The [data-poll] element an answer belongs to (the answer may fill a part of it).
  function polled(target) {
    return target && target.closest ? target.closest("[data-poll]") : null;
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var tag = xhr && xhr.getResponseHeader("ETag");
    var holder = polled(event.detail.target);
    if (tag && holder) { holder.dataset.etag = tag; }
    var elt = event.detail.elt;
    if (event.detail.successful && elt.hasAttribute && elt.hasAttribute("data-reset-on-success")) {
      elt.reset();
      // The next message is a new one: it gets a key of its own (a retry keeps the old one).
      var key = elt.querySelector("input[name=client_key]");
      if (key) { key.value = freshKey(); }
    }
  });

  function freshKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Polling only while the page is visible: every [data-poll] element asks every N seconds.
  var lastPoll = new WeakMap();
  setInterval(function () {
    if (document.visibilityState !== "visible" || !window.htmx) { return; }
    var now = Date.now();
    document.querySelectorAll("[data-poll]").forEach(function (elt) {
      var every = parseInt(elt.dataset.poll, 10) * 1000;
      if (!lastPoll.has(elt)) { lastPoll.set(elt, now); return; }
      if (now - lastPoll.get(elt) >= every) {
        lastPoll.set(elt, now);
        window.htmx.trigger(elt, "poll");
      }
    });
  }, 1000);

  // A conversation opens at its newest message, and follows new ones.
  function toNewest() {
    var list = document.querySelector(".message-list li:last-child");
    if (list && list.scrollIntoView) { list.scrollIntoView({block: "end"}); }
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var holder = polled(event.detail.target);
    if (!holder || holder.id !== "messages") { return; }
    // A message added at the end by one answer and brought by another (a double tap, a
    // poll crossing the send) is shown once.
    var seen = {};
    holder.querySelectorAll(".message-list li[id]").forEach(function (li) {
      if (seen[li.id]) { li.remove(); } else { seen[li.id] = true; }
    });
    toNewest();
  });

  // "Copy the codes": only shown where the clipboard can be used.
  function setUpCopy(button) {
    if (!navigator.clipboard) { return; }
    button.dataset.ready = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      var list = document.getElementById(button.dataset.copy);
      var status = (button.closest("section") || button.parentElement).querySelector(".copy-status");
      var text = Array.prototype.map.call(list.querySelectorAll("code"), function (c) { return c.textContent; }).join("\n");
      navigator.clipboard.writeText(text).then(function () {
        if (status) { status.textContent = button.dataset.copied; }
      }, function () { /* leave the codes on screen to write down */ });
    });
  }

  // "Download the codes": a plain text file made here from the codes on the page (nothing is
  // fetched or kept); "Print the codes": the print stylesheet shows only the codes' card.
  function setUpDownload(button) {
    if (!window.Blob || !window.URL || !URL.createObjectURL) { return; }
    button.dataset.ready = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      var list = document.getElementById(button.dataset.downloadCodes);
      var sheet = list.closest("[data-print]");
      var heading = sheet.querySelector("h2");
      var warning = sheet.querySelector(".keys-warning");
      var lines = [heading ? heading.textContent.trim() : "", ""];
      list.querySelectorAll("code").forEach(function (c, i) { lines.push((i + 1) + ". " + c.textContent); });
      if (warning) { lines.push("", warning.textContent.trim()); }
      var url = URL.createObjectURL(new Blob([lines.join("\r\n") + "\r\n"], {type: "text/plain;charset=utf-8"}));
      var link = document.createElement("a");
      link.href = url;
      link.download = button.dataset.filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      var status = sheet.querySelector(".copy-status");
      if (status) { status.textContent = button.dataset.saved; }
    });
  }

  function setUpPrint(button) {
    if (typeof window.print !== "function") { return; }
    button.dataset.ready = "1";
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  function enhance(root) {
    if (!root || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-copy]:not([data-ready])").forEach(setUpCopy);
    root.querySelectorAll("[data-download-codes]:not([data-ready])").forEach(setUpDownload);
    root.querySelectorAll("[data-print-page]:not([data-ready])").forEach(setUpPrint);
    var summary = root.matches && root.matches(".error-summary") ? root : root.querySelector(".error-summary");
    if (summary) { summary.focus(); return; }
    showAnswer(root);
  }

  // The answer to an action is shown where the person is looking: the element marked
  // data-answer (with tabindex="-1") inside what was just swapped in, or on a whole page
  // the flash message, is scrolled into view and focused, so a screen reader reads it too.
  function showAnswer(root) {
    var answer = root.matches && root.matches("[data-answer]") ? root : root.querySelector("[data-answer]");
    if (!answer) { return; }
    if (root === document && document.activeElement && document.activeElement !== document.body) { return; }
    answer.focus({preventScroll: true});
    if (answer.scrollIntoView) { answer.scrollIntoView({block: "nearest"}); }
  }

  // Notifications: the service worker is registered on every page (it is tiny); asking for
  // permission happens only after the person taps "Turn on" in the notification settings.
  function base64ToBytes(value) {
    var padded = (value + "===".slice((value.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function say(box, key) {
    var message = box.querySelector('[data-say="' + key + '"]');
    box.querySelectorAll("[data-say]").forEach(function (p) { p.hidden = p !== message; });
  }

  function setUpPush(box) {
    var button = box.querySelector("button[data-turn-on]");
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say(box, "unsupported");
      return;
    }
    button.hidden = false;
    if (Notification.permission === "denied") { say(box, "refused"); }
    button.addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") { say(box, "refused"); return null; }
        return navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(function () {
          return navigator.serviceWorker.ready;
        }).then(function (registration) {
          return registration.pushManager.subscribe({userVisibleOnly: true,
            applicationServerKey: base64ToBytes(box.dataset.key)});
        }).then(function (subscription) {
          var json = subscription.toJSON();
          var meta = document.querySelector('meta[name="csrf-token"]');
          return fetch("/push/subscriptions", {method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": meta ? meta.content : ""},
            body: JSON.stringify({endpoint: json.endpoint, keys: json.keys, device: navigator.platform || ""})});
        }).then(function (response) {
          if (!response) { return; }
          if (response.ok) { window.location.reload(); return; }
          // The server says why in the person's language (too many devices, say).
          return response.json().then(function (answer) {
            var trouble = box.querySelector('[data-say="trouble"]');
            if (trouble && answer && typeof answer.message === "string") { trouble.textContent = answer.message; }
            say(box, "trouble");
          }, function () { say(box, "trouble"); });
        });
      }).catch(function () { say(box, "trouble"); });
    });
  }

  // Quick exit: replace this page at once with the page this phone chose, so "back" does
  // not lead to it. Esc twice works too.
  // The session is locked or logged out on the way (POST /quick-exit), so that pressing
  // Back shows the lock or login page, never the person's own pages.
  function quickExit(event) {
    if (event) { event.preventDefault(); }
    var link = document.querySelector("[data-quick-exit]");
    var go = function () { window.location.replace(link ? link.href : "/away"); };
    document.body.hidden = true;
    if (!document.body.hasAttribute("data-signed-in") && !document.body.hasAttribute("data-locked")) { go(); return; }
    try { sessionStorage.setItem("nara-left", "1"); } catch (e) { /* private mode: the server side still holds */ }
    // The writing page kept for offline use holds the person's own words: forget it too.
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "forget"});
      try { localStorage.removeItem("nara-shell"); } catch (e) { /* nothing kept */ }
    }
    var meta = document.querySelector('meta[name="csrf-token"]');
    var sent = fetch("/quick-exit", {method: "POST", credentials: "same-origin", keepalive: true,
      headers: {"X-CSRFToken": meta ? meta.content : ""}});
    Promise.race([sent, new Promise(function (done) { setTimeout(done, 800); })]).then(go, go);
  }
  // A page kept in the back-forward cache comes back as it was: after Quick exit it is hidden
  // and asked for again, and the server answers with the lock or login page.
  window.addEventListener("pageshow", function (event) {
    var left = false;
    try { left = sessionStorage.getItem("nara-left") === "1"; } catch (e) { /* not kept */ }
    if (left && event.persisted) { document.body.hidden = true; window.location.reload(); return; }
    if (left && !event.persisted && document.body.hasAttribute("data-signed-in")) {
      try { sessionStorage.removeItem("nara-left"); } catch (e) { /* not kept */ }
    }
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 600) { quickExit(); }
    lastEscape = now;
  });

  // The service worker keeps a few pages on the phone. When the language, the look or the
  // person logged in changes, it fetches them again; a change of person also makes it
  // forget the last person's writing page. Pages that belong to nobody (the lock page, the
  // offline page) change nothing.
  function refreshShell(worker) {
    var body = document.body;
    if (body.hasAttribute("data-bare") || !worker) { return; }
    var owner = body.dataset.owner || "";
    var look = body.dataset.look || "nara";
    var state = [document.documentElement.lang, look, owner].join("|");
    var before;
    try { before = localStorage.getItem("nara-shell"); } catch (e) { return; }
    if (before === state) { return; }
    localStorage.setItem("nara-shell", state);
    var lastOwner = before ? before.split("|")[2] : "";
    // A client's writing page is kept from the first page they open, so writing works
    // offline without having visited it online first.
    worker.postMessage({type: "refresh", look: look, forget: lastOwner !== owner, personal: !!owner});
  }

  // The PIN lock: after the chosen time without a tap or a key, the lock page replaces this
  // one. While the person is busy on a page (typing a long entry), the server is told now
  // and then, so its own clock does not lock them out when they send it.
  function setUpIdleLock() {
    var body = document.body;
    var idle = parseInt(body.dataset.idle || "0", 10) * 1000;
    if (!idle || !body.dataset.lock) { return; }
    var last = Date.now(), told = Date.now();
    ["keydown", "pointerdown", "input", "scroll", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () { last = Date.now(); }, {passive: true, capture: true});
    });
    var locking = false;
    setInterval(function () {
      var now = Date.now();
      if (now - last >= idle) {
        if (!locking) {
          locking = true;
          goToLock(body.dataset.lock + "?next=" + encodeURIComponent(location.pathname + location.search));
        }
        return;
      }
      if (last > told && now - told >= Math.min(60000, idle / 3)) {
        told = now;
        var meta = document.querySelector('meta[name="csrf-token"]');
        fetch("/lock/still-here", {method: "POST", credentials: "same-origin",
          headers: {"X-CSRFToken": meta ? meta.content : ""}}).then(function (response) {
          if (response.redirected) { window.location.replace(response.url); }
        }).catch(function () { /* offline: the server cannot lock what it does not see */ });
      }
    }, 1000);
  }

  // Before the lock page replaces this one, what is being written gets a moment to be kept
  // on the phone (keep.js answers "nara:locking"); the screen is hidden at once.
  function goToLock(target) {
    var waits = [];
    document.dispatchEvent(new CustomEvent("nara:locking", {detail: {waitFor: function (p) { waits.push(p); }}}));
    document.body.hidden = true;
    var go = function () { window.location.replace(target); };
    Promise.race([Promise.all(waits), new Promise(function (done) { setTimeout(done, 1500); })]).then(go, go);
  }

  // The server says the session is locked (a poll, or a form sent after the idle time).
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var target = xhr && xhr.getResponseHeader("X-Nara-Locked");
    var elt = event.detail.elt;
    if (!target || (elt && elt.closest && elt.closest("form[data-keep-offline]") && window.indexedDB)) { return; }
    goToLock(target);
  });

  // On the lock page, the service worker forgets the person's writing page and fetches the
  // kept pages again, now without their contacts; after the PIN, they are fetched as theirs.
  function forgetWhileLocked() {
    if (!document.body.hasAttribute("data-locked") || !navigator.serviceWorker.controller) { return; }
    try { localStorage.removeItem("nara-shell"); } catch (e) { /* nothing kept */ }
    navigator.serviceWorker.controller.postMessage({type: "refresh", look: document.body.dataset.look, forget: true});
  }

  // "Add to home screen": offered only when the browser says it can install the app, and
  // not again after "Not now" (the phone settings page always offers it).
  function setUpInstall() {
    var offer = null;
    var hints = document.querySelectorAll("[data-install]");
    if (!hints.length) { return; }
    window.addEventListener("beforeinstallprompt", function (event) {
      var declined = false;
      try { declined = localStorage.getItem("nara-install") === "no"; } catch (e) { declined = false; }
      event.preventDefault();
      offer = event;
      hints.forEach(function (hint) { hint.hidden = declined && hint.dataset.install !== "always"; });
    });
    window.addEventListener("appinstalled", function () {
      hints.forEach(function (hint) { hint.hidden = true; });
    });
    hints.forEach(function (hint) {
      hint.querySelector("[data-install-yes]").addEventListener("click", function () {
        if (!offer) { return; }
        offer.prompt();
        offer.userChoice.then(function () { hints.forEach(function (h) { h.hidden = true; }); offer = null; });
      });
      hint.querySelector("[data-install-no]").addEventListener("click", function () {
        try { localStorage.setItem("nara-install", "no"); } catch (e) { /* nothing to keep it in */ }
        hints.forEach(function (h) { h.hidden = true; });
      });
    });
  }

  // Logging out (and "Forget this phone") has the browser delete what this site keeps on the
  // phone, diary entries still waiting to be sent among them (keep.js keeps them in
  // IndexedDB). When some wait, the form first says so in place: stay (and send them), or
  // go on anyway. Whose entries count: the signed-in client's; on the lock page, any (the
  // page does not say whose session it is); a signed-in peer's or relative's, none.
  function waitingCount() {
    var body = document.body;
    var owner = body.dataset.owner;
    if (!window.indexedDB || (!owner && !body.hasAttribute("data-locked"))) { return Promise.resolve(0); }
    return new Promise(function (resolve) {
      var request = indexedDB.open("nara-keep");
      // A phone that never kept anything has no such database: it is not made here.
      request.onupgradeneeded = function () { request.transaction.abort(); };
      request.onerror = function () { resolve(0); };
      request.onsuccess = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("entries")) { db.close(); resolve(0); return; }
        var all = db.transaction("entries", "readonly").objectStore("entries").getAll();
        all.onsuccess = function () {
          db.close();
          resolve((all.result || []).filter(function (r) { return !owner || r.owner === owner; }).length);
        };
        all.onerror = function () { db.close(); resolve(0); };
      };
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var warning = form.querySelector && form.matches("form[data-leaving]") && form.querySelector("[data-leaving-warning]");
    if (!warning || (event.submitter && event.submitter.hasAttribute("data-leave-anyway"))) { return; }
    event.preventDefault();
    waitingCount().catch(function () { return 0; }).then(function (count) {
      if (!count) { HTMLFormElement.prototype.submit.call(form); return; }
      warning.hidden = false;
      warning.focus();
    });
  });
  document.addEventListener("click", function (event) {
    var stay = event.target.closest && event.target.closest("[data-stay]");
    if (!stay) { return; }
    var warning = stay.closest("[data-leaving-warning]");
    warning.hidden = true;
    document.dispatchEvent(new CustomEvent("nara:send-waiting"));  // keep.js sends them, if it can now
    var back = warning.parentElement.querySelector('button[type="submit"]:not([data-leave-anyway])');
    if (back) { back.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
      link.addEventListener("click", quickExit);
    });
    // Just after "Forget this phone", the start page keeps nothing here (no service worker,
    // no kept pages) until the next page is opened.
    if ("serviceWorker" in navigator && !document.body.hasAttribute("data-forgotten")) {
      navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(function () {
        // On the very first visit the worker is still installing: wait until it is ready.
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        refreshShell(registration.active);
        forgetWhileLocked();
      }).catch(function () {});
    }
    setUpIdleLock();
    setUpInstall();
    // The offline page offers writing in the diary when this phone keeps the writing page.
    var write = document.querySelector("[data-offline-write]");
    if (write && window.caches) {
      caches.match("/diary/new").then(function (kept) { write.hidden = !kept; }).catch(function () {});
    }
    var pushBox = document.querySelector("[data-push-setup]");
    if (pushBox) { setUpPush(pushBox); }
    enhance(document);
    if (document.getElementById("messages")) { toNewest(); }
  });
  // Fragments swapped in by htmx get the same care as a whole page.
  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt !== document.body) { enhance(event.detail.elt); }
  });
})();
