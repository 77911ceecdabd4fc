// Nära: the invitation's Copy and Share buttons. Copy uses the Clipboard API; Share opens
// the phone's own share sheet (Web Share API) and is shown only where it exists. Without
// either, the link stays on the page to be selected. The shared text names nothing but
// the invitation: the person it is for may read it on a lock screen.
(function () {
  "use strict";

  var box = document.querySelector("[data-invite-share]");
  if (!box) { return; }
  var link = box.getAttribute("data-link");
  var copy = box.querySelector("[data-invite-copy]");
  var share = box.querySelector("[data-invite-send]");
  var said = box.querySelector("[data-copied]");

  function say(text) {
    said.textContent = text;
    said.focus();
  }

  function selectLink() {
    var shown = document.getElementById("invite-link");
    var range = document.createRange();
    range.selectNodeContents(shown);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  if (navigator.clipboard && navigator.clipboard.writeText) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(link).then(function () {
        say(box.getAttribute("data-copied-text"));
      }, function () {
        selectLink();
        say(box.getAttribute("data-select-text"));
      });
    });
  }

  var shared = {title: box.getAttribute("data-title"), text: box.getAttribute("data-text"), url: link};
  if (navigator.share && (!navigator.canShare || navigator.canShare(shared))) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share(shared).catch(function () { /* closed without sharing: nothing to say */ });
    });
  }
}());
