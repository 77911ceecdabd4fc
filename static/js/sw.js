// Nära's service worker. It keeps the app's shell on the phone (styles, scripts, icons, the
// crisis page, the quick-exit page and an offline page) in a cache named by the version the
// server writes in below, so each deploy replaces it whole. Pages always come from the
// network when there is one; without one, a kept page or the offline page answers.
// It also shows push notifications (neutral text chosen by the server, or the person's own
// words kept on this phone) and opens the right page when one is tapped.
"use strict";

var VERSION = "__VERSION__";
var SHELL = "__SHELL__";   // the files and pages to keep, with their content-hashed addresses
var PAGES = "__PAGES__";   // the kept pages, refreshed whenever they are visited online
var CACHE = "nara-" + VERSION;
var OFFLINE = "/offline";
// A client's writing page is kept too (diary entries can be written offline); the page's
// script has it forgotten when nobody, or someone else, is logged in on this phone.
var PERSONAL = ["/diary/new"];
var SETTINGS = "phone-settings", LOOK = "/__look";

function fresh(url) {
  return new Request(url, {credentials: "same-origin", cache: "reload"});
}

// A hashed file the page has just loaded is in the browser's cache already: take it from
// there instead of downloading it a second time. Pages are always asked for afresh.
function toKeep(url) {
  return url.indexOf("/static/") === 0 ? new Request(url, {credentials: "same-origin"}) : fresh(url);
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL.map(toKeep));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("nara-") === 0 && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepable(path) {
  return PAGES.indexOf(path) !== -1 || PERSONAL.indexOf(path) !== -1;
}

function page(request, url) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected && keepable(url.pathname)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (kept) {
        return kept || cache.match(OFFLINE);
      });
    }).then(function (answer) { return answer || Response.error(); });
  });
}

// A static file with a content hash in its address never changes: the kept copy is used.
function staticFile(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (kept) {
      if (kept) { return kept; }
      return fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname === "/live") { return; }  // the live stream is never kept, nor answered from here
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.indexOf("/static/") === 0 && url.searchParams.has("v")) {
    event.respondWith(staticFile(request));
  }
});

// The page asks for the kept pages again after a change of language or of who is logged
// in, so nothing of one person is shown to the next, and everything is in their language.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "forget") {  // Quick exit: the person's own pages go, nothing is fetched
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all(PERSONAL.map(function (path) { return cache.delete(path); }));
    }));
    return;
  }
  if (data.type !== "refresh") { return; }
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    var forget = data.forget ? PERSONAL.map(function (path) { return cache.delete(path); }) : [];
    // Which icon a notification shows: the neutral one when this phone chose the neutral look.
    forget.push(caches.open(SETTINGS).then(function (settings) {
      return settings.put(LOOK, new Response(data.look === "plain" ? "plain" : "nara"));
    }));
    var pages = data.personal ? PAGES.concat(PERSONAL) : PAGES;
    return Promise.all(forget).then(function () {
      return Promise.all(pages.map(function (path) {
        return fetch(fresh(path)).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(path, response); }
          return null;
        }).catch(function () { return null; });
      }));
    });
  }));
});

// The worker sends each notification once, but a worker that stops between the push
// service's answer and writing it down sends that one again. Each push carries the
// notification's id: an id shown before is dropped (the last few are kept), and every
// notification has a tag, so a repeat that slips through replaces instead of stacking.
// Pushes are handled one after another, so a repeat arriving at once still sees the first.
var SEEN = "/__seen", KEEP_SEEN = 50;
var pushes = Promise.resolve();

function seenBefore(id) {
  return caches.open(SETTINGS).then(function (settings) {
    return settings.match(SEEN).then(function (kept) { return kept ? kept.json() : []; })
      .catch(function () { return []; })
      .then(function (ids) {
        if (!Array.isArray(ids)) { ids = []; }
        if (ids.indexOf(id) !== -1) { return true; }
        ids.push(id);
        return settings.put(SEEN, new Response(JSON.stringify(ids.slice(-KEEP_SEEN))))
          .then(function () { return false; });
      });
  }).catch(function () { return false; });
}

// The person's own lock-screen words, kept on this phone only (own-words.js): when they
// have a title, every notification shows them instead of the server's neutral words.
var OWN_WORDS = "own-words", OWN_KEY = "/own-words";

function ownWords() {
  return caches.match(OWN_KEY, {cacheName: OWN_WORDS})  // makes no cache when there is none
    .then(function (kept) { return kept ? kept.json() : null; })
    .then(function (words) {
      return words && typeof words.title === "string" && words.title ? words : null;
    }).catch(function () { return null; });
}

function lookOfPhone() {
  return caches.open(SETTINGS).then(function (settings) {
    return settings.match(LOOK);
  }).then(function (kept) { return kept ? kept.text() : "nara"; }).catch(function () { return "nara"; });
}

function showPush(data) {
  return Promise.all([lookOfPhone(), ownWords()]).then(function (found) {
    var look = found[0], own = found[1];
    var icon = look === "plain" ? "/static/icons/plain-icon-192.png" : "/static/icons/icon-192.png";
    var options = {
      body: own ? String(own.body || "") : (data.body || ""),
      tag: data.tag || (data.id ? "nara-" + data.id : "nara"),
      icon: icon,
      badge: icon,
      data: {url: data.url || "/", token: data.token || null, id: data.id || null}
    };
    if (data.token && data.actions) {
      options.actions = [{action: "done", title: data.actions.done}, {action: "later", title: data.actions.later}];
    }
    return self.registration.showNotification(own ? own.title : (data.title || "Nära"), options);
  });
}

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  if (!data || typeof data !== "object") { data = {}; }
  var id = (typeof data.id === "number" || typeof data.id === "string") ? String(data.id) : null;
  var handled = pushes.then(function () {
    return id === null ? false : seenBefore(id);
  }).then(function (seen) {
    return seen ? null : showPush(data);
  });
  pushes = handled.catch(function () { return null; });
  event.waitUntil(handled);
});

self.addEventListener("notificationclick", function (event) {
  var data = event.notification.data || {};
  event.notification.close();
  if (event.action === "done") { return; }
  if (event.action === "later" && data.token) {
    event.waitUntil(fetch("/push/action", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: "action=later&token=" + encodeURIComponent(data.token)
    }));
    return;
  }
  var target = new URL(data.url || "/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then(function (list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].url === target && "focus" in list[i]) { return list[i].focus(); }
    }
    if (list.length && "navigate" in list[0]) {
      return list[0].focus().then(function (client) { return client.navigate(target); });
    }
    return self.clients.openWindow(target);
  }));
});
