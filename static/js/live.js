// Nära: new messages the moment they are sent. The server's stream (/live) says only
// "something changed in contact C"; the page then asks at once with its ordinary poll.
// While the stream is open the polls rest; while it is down they go on every 60 s, quietly.
(function () {
  "use strict";
  var SLOW = "60", REST = "3600", source = null;

  function polled() { return document.querySelectorAll("#messages[data-poll], #unread-badge[data-poll]"); }
  function pace(every) { polled().forEach(function (elt) { elt.dataset.poll = every; }); }
  function ask(elt) { if (elt && window.htmx) { window.htmx.trigger(elt, "poll"); } }
  function askAll() { polled().forEach(ask); }

  function connect() {
    if (!window.EventSource || !polled().length || navigator.onLine === false) { return; }
    source = new EventSource("/live");
    // Every (re)connect catches up once: a phone that slept may have missed something.
    source.onopen = function () { pace(REST); askAll(); };
    source.onerror = function () {
      pace(SLOW);
      // Offline, it waits for the network instead of trying again and again; refused by the
      // server (logged out, locked), polling finds out and says what to do.
      if (navigator.onLine === false) { source.close(); }
      if (source.readyState === EventSource.CLOSED) { source = null; }
    };
    source.onmessage = function (event) {
      var data = {};
      try { data = JSON.parse(event.data); } catch (e) { return; }
      var list = document.getElementById("messages");
      if (list && list.dataset.contact === String(data.c)) { ask(list); }
      ask(document.getElementById("unread-badge"));
    };
  }

  // Back from sleep, from another app or online again: a closed stream is opened again.
  function again() { if (document.visibilityState === "visible" && !source && navigator.onLine !== false) { connect(); } }
  document.addEventListener("visibilitychange", again);
  // Leaving the page closes its stream at once, so the connection is free for the next page
  // (a browser holds only six per site over HTTP/1.1); back from the back-forward cache, it opens again.
  window.addEventListener("pagehide", function () { if (source) { source.close(); source = null; } });
  window.addEventListener("pageshow", function (event) { if (event.persisted) { again(); } });
  window.addEventListener("online", again);
  document.addEventListener("DOMContentLoaded", connect);
})();
