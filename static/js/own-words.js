// Nära: a person's own words for this phone's lock screen. They are kept here only, in
// Cache Storage (the service worker, sw.js, reads them there when a notification comes),
// and never sent to the server. Logging out and "Forget this phone" have the browser
// delete them with everything else this site keeps (Clear-Site-Data).
(function () {
  "use strict";

  // Not "nara-…": the service worker deletes every other "nara-*" cache on each update.
  var CACHE = "own-words", KEY = "/own-words";
  var LIMITS = {title: 40, body: 80};

  function tidy(value, limit) {
    return (value || "").split(/\s+/).filter(Boolean).join(" ").slice(0, limit);
  }

  function kept() {  // caches.match with a name opens no cache that is not there
    return caches.match(KEY, {cacheName: CACHE})
      .then(function (found) { return found ? found.json() : null; })
      .catch(function () { return null; });
  }

  function keep(words) {
    return caches.open(CACHE).then(function (cache) {
      return cache.put(KEY, new Response(JSON.stringify(words), {headers: {"Content-Type": "application/json"}}));
    });
  }

  function forget() {
    return caches.delete(CACHE);
  }

  function setUp(box) {
    var form = box.querySelector("form[data-own-words]");
    var title = form.querySelector("#own-title"), body = form.querySelector("#own-body");
    var status = form.querySelector("[data-own-words-status]");
    if (!window.caches) { return; }  // the note that own words need JavaScript stays
    box.querySelector("[data-own-words-nojs]").hidden = true;
    form.hidden = false;

    function say(key) {
      status.textContent = status.dataset[key];
      status.focus();
    }

    kept().then(function (words) {
      if (words && typeof words.title === "string") {
        title.value = tidy(words.title, LIMITS.title);
        body.value = tidy(words.body, LIMITS.body);
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var words = {title: tidy(title.value, LIMITS.title), body: tidy(body.value, LIMITS.body)};
      title.value = words.title;
      body.value = words.body;
      if (!words.title && words.body) { say("titleNeeded"); title.focus(); return; }
      var done = words.title ? keep(words).then(function () { return "saved"; })
        : forget().then(function () { return "removed"; });
      done.then(say, function () { say("trouble"); });
    });

    form.querySelector("[data-own-words-remove]").addEventListener("click", function () {
      forget().then(function () {
        title.value = "";
        body.value = "";
        say("removed");
      }, function () { say("trouble"); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-own-words-box]");
    if (box) { setUp(box); }
  });
})();
