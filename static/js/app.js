// Nära: small enhancements on top of pages that work without JavaScript.
(function () {
  "use strict";

  // htmx requests carry the CSRF token from the page's meta tag; a poll also carries the
  // tag of what it shows, so the server can answer 304 with no body when nothing changed.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
    var elt = event.detail.elt;
    if (elt.dataset && elt.dataset.poll && elt.dataset.etag && event.detail.verb === "get") {
      event.detail.headers["If-None-Match"] = elt.dataset.etag;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var tag = xhr && xhr.getResponseHeader("ETag");
    var target = event.detail.target;
    if (tag && target && target.dataset && target.dataset.poll) { target.dataset.etag = tag; }
    var elt = event.detail.elt;
    if (event.detail.successful && elt.hasAttribute && elt.hasAttribute("data-reset-on-success")) { elt.reset(); }
  });

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
    if (event.detail.target && event.detail.target.id === "messages") { toNewest(); }
  });

  // "Copy the codes": only shown where the clipboard can be used.
  function setUpCopy(button) {
    if (!navigator.clipboard) { return; }
    button.dataset.ready = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      var list = document.getElementById(button.dataset.copy);
      var status = button.parentElement.querySelector(".copy-status");
      var text = Array.prototype.map.call(list.querySelectorAll("code"), function (c) { return c.textContent; }).join("\n");
      navigator.clipboard.writeText(text).then(function () {
        if (status) { status.textContent = button.dataset.copied; }
      }, function () { /* leave the codes on screen to write down */ });
    });
  }

  function enhance(root) {
    if (!root || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-copy]:not([data-ready])").forEach(setUpCopy);
    var summary = root.matches && root.matches(".error-summary") ? root : root.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    if (document.getElementById("messages")) { toNewest(); }
  });
  // Fragments swapped in by htmx get the same care as a whole page.
  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt !== document.body) { enhance(event.detail.elt); }
  });
})();
