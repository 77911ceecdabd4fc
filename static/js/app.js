// Nära: small enhancements on top of pages that work without JavaScript.
(function () {
  "use strict";

  // htmx requests carry the CSRF token from the page's meta tag.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
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

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // Fragments swapped in by htmx get the same care as a whole page.
  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt !== document.body) { enhance(event.detail.elt); }
  });
})();
