// Nära's service worker: shows push notifications (neutral text chosen by the server) and
// opens the right page when one is tapped. Offline caching comes with its own issue.
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

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
