// Nära's service worker: keeps "Need help now" readable without a network, shows push
// notifications (neutral text chosen by the server) and opens the right page when one is
// tapped. Wider offline support comes with its own issue.
"use strict";

var CACHE = "nara-help-v2";
var HELP = "/help";
var SHELL = ["/static/css/app.css", "/static/js/app.js", "/static/vendor/htmx.min.js", "/static/icons/icon-192.png"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .catch(function () {}).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The crisis page: always fresh from the network when there is one, from the cache when
// there is not. Its files come from the cache first.
self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname === HELP && request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(HELP, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(HELP).then(function (cached) { return cached || Response.error(); });
    }));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    // Network first, so a new deploy's files are used at once; the cache is for offline.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (cached) { return cached || Response.error(); });
    }));
  }
});

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  var options = {
    body: data.body || "",
    tag: data.tag || "nara",
    icon: "/static/icons/icon-192.png",
    badge: "/static/icons/icon-192.png",
    data: {url: data.url || "/", token: data.token || null}
  };
  if (data.token && data.actions) {
    options.actions = [{action: "done", title: data.actions.done}, {action: "later", title: data.actions.later}];
  }
  event.waitUntil(self.registration.showNotification(data.title || "Nära", options));
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
