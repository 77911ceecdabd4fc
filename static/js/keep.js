// Nära: diary entries written without a connection are kept on this phone (IndexedDB) and
// sent when the phone is online again. Each entry carries the key its form was given, so
// sending it twice (the phone cannot always tell whether a try arrived) saves it once.
// An entry the server cannot take as it is stays here, with the reason, until the person
// puts it back in the form: nothing written offline disappears without them knowing.
(function () {
  "use strict";
  var owner = document.body.dataset.owner;
  if (!owner || !window.indexedDB || !window.Promise) { return; }
  var STORE = "entries";
  var sending = false;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("nara-keep", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "key"}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function mine() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return (all || []).filter(function (record) { return record.owner === owner && !record.inForm; })
        .sort(function (a, b) { return a.savedAt - b.savedAt; });
    });
  }
  function keep(record) { return withStore("readwrite", function (store) { return store.put(record); }); }
  function drop(key) { return withStore("readwrite", function (store) { return store.delete(key); }); }

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // A page kept on the phone may carry a token of an earlier moment of the session; the
  // offline page (always asked of the network here) carries the current one.
  function renewToken() {
    return fetch("/offline", {credentials: "same-origin", cache: "no-store"}).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      var found = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
      var meta = document.querySelector('meta[name="csrf-token"]');
      if (found && meta) { meta.content = found[1]; }
      return !!found;
    });
  }

  function say(box, key) {
    box.querySelectorAll("[data-say]").forEach(function (p) { p.hidden = p.dataset.say !== key; });
  }

  // The first words of an entry, to recognise it by.
  function preview(record) {
    var skip = {client_key: 1, written_at: 1, mood: 1, strengths: 1, prompt: 1};
    for (var i = 0; i < record.fields.length; i++) {
      var pair = record.fields[i];
      if (!skip[pair[0]] && pair[1].trim()) { return pair[1].trim().slice(0, 80); }
    }
    return "…";
  }

  function show() {
    var box = document.querySelector("[data-waiting]");
    if (!box) { return Promise.resolve(); }
    return mine().then(function (records) {
      var list = box.querySelector(".waiting-list");
      list.textContent = "";
      var template = box.querySelector("[data-invalid-template]");
      records.forEach(function (record) {
        var item = document.createElement("li");
        var when = new Date(record.savedAt).toLocaleString(document.documentElement.lang,
          {weekday: "short", hour: "2-digit", minute: "2-digit"});
        item.textContent = when + ": " + preview(record);
        if (record.problem && template) {
          var problem = template.content.cloneNode(true);
          problem.querySelector("[data-reason]").textContent = record.problem;
          problem.querySelector("[data-put-back]").addEventListener("click", function () { putBack(record); });
          item.appendChild(problem);
        }
        list.appendChild(item);
      });
      if (records.length) {
        box.hidden = false;
        say(box, "waiting");
      } else if (box.querySelector('[data-say="sent"]').hidden) {
        box.hidden = true;  // nothing waits, and no "sent" to tell
      }
      return records;
    }).catch(function () { /* this phone keeps nothing: nothing to show */ });
  }

  // An entry the server could not take (or one interrupted by the lock) goes back into the
  // form, to be changed and saved. It stays on the phone until the form is saved.
  function putBack(record) {
    var form = document.querySelector("form[data-keep-offline]");
    if (!form) { window.location.href = "/diary/new"; return; }
    form.reset();
    record.fields.forEach(function (pair) {
      if (pair[0] === "client_key" || pair[0] === "written_at") { return; }
      var inputs = form.querySelectorAll('[name="' + pair[0] + '"]');
      inputs.forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === pair[1]) { input.checked = true; }
        } else {
          input.value = pair[1];
        }
      });
    });
    form.elements.client_key.value = record.key;
    record.inForm = true;
    keep(record).then(show).then(function () {
      var first = form.querySelector("textarea, input:not([type=hidden])");
      if (first) { first.focus(); }
    });
  }

  function sendOne(record, renewed) {
    var body = new URLSearchParams();
    record.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("csrf_token", csrf());
    return fetch(record.url, {method: "POST", credentials: "same-origin", body: body,
      headers: {"X-CSRFToken": csrf(), "X-Nara-Background": "1"}}).then(function (response) {
      if (response.status === 201) { return drop(record.key).then(function () { return "sent"; }); }
      if (response.status === 422) {
        return response.json().then(function (answer) {
          record.problem = answer.message || "?";
          return keep(record).then(function () { return "problem"; });
        });
      }
      if (response.status === 400 && !renewed) {  // an old token: once more with the current one
        return renewToken().then(function (ok) { return ok ? sendOne(record, true) : "later"; });
      }
      return "later";  // logged out, locked, or a server in trouble: try again later
    });
  }

  function sendAll() {
    if (sending || navigator.onLine === false) { return Promise.resolve(); }
    sending = true;
    var sent = 0;
    return mine().then(function (records) {
      var waiting = records.filter(function (r) { return !r.problem; });
      // This page may be the copy kept on the phone, with a token of an earlier moment of
      // the session: take the current one before sending.
      var chain = waiting.length ? renewToken().then(function () { return "go"; }) : Promise.resolve("go");
      waiting.forEach(function (record) {
        chain = chain.then(function (state) {
          if (state === "later") { return state; }
          return sendOne(record).then(function (result) {
            if (result === "sent") { sent += 1; }
            return result === "later" ? "later" : "go";
          });
        });
      });
      return chain;
    }).catch(function () { /* no network after all: the entries wait */ }).then(function () {
      sending = false;
      return show();
    }).then(function (left) {
      var box = document.querySelector("[data-waiting]");
      if (box && sent && left && !left.length) {
        box.hidden = false;
        say(box, "sent");
        box.querySelector(".waiting-list").textContent = "";
      }
    });
  }

  function writeForm(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest("form[data-keep-offline]") : null;
  }

  function entryOf(form, problem) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "written_at") { fields.push([name, String(value)]); }
    });
    fields.push(["written_at", String(Date.now())]);
    return {key: form.elements.client_key.value, owner: owner, url: form.dataset.keepOffline,
            fields: fields, savedAt: Date.now(), problem: problem || null};
  }

  function hasWords(form) {
    return Array.prototype.some.call(form.elements, function (input) {
      if (input.type === "hidden" || !input.name) { return false; }
      if (input.type === "checkbox" || input.type === "radio") { return input.checked; }
      return !!(input.value && input.value.trim());
    });
  }

  // The app is about to lock (its timer, or the server said so): what is being written is
  // kept on the phone, to be put back in the form after the PIN.
  function keepDraft(form) {
    if (!form || !hasWords(form)) { return Promise.resolve(); }
    var box = document.querySelector("[data-waiting]");
    return keep(entryOf(form, box ? box.dataset.lockedNote : "…")).catch(function () {});
  }
  document.addEventListener("nara:locking", function (event) {
    event.detail.waitFor(keepDraft(document.querySelector("form[data-keep-offline]")));
  });

  // Saved by the server (it names the entry's key): a copy kept on the phone can go.
  document.addEventListener("htmx:afterRequest", function (event) {
    var saved = event.detail.xhr && event.detail.xhr.getResponseHeader("X-Nara-Saved");
    if (saved) { drop(saved).then(show).catch(function () {}); }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var form = writeForm(event);
    var xhr = event.detail.xhr;
    if (!form || !xhr) { return; }
    var lockAt = xhr.getResponseHeader("X-Nara-Locked");
    if (lockAt) {
      keepDraft(form).then(function () { window.location.replace(lockAt); });
    } else if (xhr.status >= 500) {
      keepEntry(form);  // the server is in trouble (a deploy, say): the phone keeps it meanwhile
    }
  });

  // The write form could not reach the server: keep the entry here instead.
  document.addEventListener("htmx:sendError", function (event) {
    var form = writeForm(event);
    if (form) { keepEntry(form); }
  });

  function keepEntry(form) {
    var entry = entryOf(form);
    var kept = document.querySelector("[data-kept]");
    var refused = document.querySelector("[data-not-kept]");
    keep(entry).then(function () {
      form.reset();
      form.elements.client_key.value = newKey();
      if (refused) { refused.hidden = true; }
      if (kept) { kept.hidden = false; kept.focus(); }
      return show();
    }).catch(function () {
      if (refused) { refused.hidden = false; refused.focus(); }
    });
  }

  // A form sent to the server hides the last "kept on this phone" note.
  document.addEventListener("htmx:beforeRequest", function () {
    var kept = document.querySelector("[data-kept]");
    if (kept) { kept.hidden = true; }
  });

  window.addEventListener("online", sendAll);
  // "Stay and send it", after logging out was put off because entries wait here (app.js).
  document.addEventListener("nara:send-waiting", sendAll);
  document.addEventListener("DOMContentLoaded", function () {
    // A fresh key for this page's form: a page kept by the service worker must not reuse the
    // key of an entry saved earlier, and every visit writes a new entry.
    var form = document.querySelector("form[data-keep-offline]");
    if (form) { form.elements.client_key.value = newKey(); }
    // What was put back in a form and then left unsaved is shown again.
    withStore("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return Promise.all((all || []).filter(function (r) { return r.owner === owner && r.inForm; })
        .map(function (r) { r.inForm = false; return keep(r); }));
    }).catch(function () {}).then(show).then(sendAll);
    setInterval(function () {
      if (document.visibilityState === "visible") { sendAll(); }
    }, 30000);
  });
})();
