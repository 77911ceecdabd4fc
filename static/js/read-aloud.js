// Read aloud: every element marked data-read-aloud gets a "Read aloud" / "Stop" button that reads
// its text with one of the phone's OWN voices (SpeechSynthesisVoice.localService), in the page's
// language. A voice that is not local may send the text to a server: those are never used. Without
// a local voice the button is never shown. The button's words come from this script tag's data-read
// and data-stop attributes (translated by the server).
(function () {
  "use strict";
  var script = document.currentScript;
  var words = {
    read: (script && script.getAttribute("data-read")) || "Read aloud",
    stop: (script && script.getAttribute("data-stop")) || "Stop reading",
  };
  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;

  var language = (document.documentElement.lang || "en").toLowerCase().split("-")[0];
  var buttons = [];
  var speaking = null; // the button whose text is being read

  function localVoice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var voice = voices[i];
      var lang = (voice.lang || "").toLowerCase().replace("_", "-").split("-")[0];
      if (voice.localService === true && lang === language) return voice;
    }
    return null;
  }

  function show(button, reading) {
    button.textContent = reading ? words.stop : words.read;
    button.setAttribute("aria-pressed", reading ? "true" : "false");
  }

  function stop() {
    if (speaking) show(speaking, false);
    speaking = null;
    synth.cancel();
  }

  function read(button, target) {
    var voice = localVoice();
    if (!voice) return; // the voice went away: read nothing rather than with a voice on a server
    stop();
    var copy = target.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".read-aloud"), function (b) { b.remove(); });
    var text = copy.textContent.replace(/\s+/g, " ").trim();
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.onend = utterance.onerror = function () {
      if (speaking === button) { show(button, false); speaking = null; }
    };
    speaking = button;
    show(button, true);
    synth.speak(utterance);
  }

  function offer() {
    var usable = !!localVoice();
    buttons.forEach(function (button) { button.hidden = !usable; });
  }

  var targets = document.querySelectorAll("[data-read-aloud]");
  if (!targets.length) return;
  Array.prototype.forEach.call(targets, function (target) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary small read-aloud";
    button.hidden = true;
    show(button, false);
    button.addEventListener("click", function () {
      if (speaking === button) stop(); else read(button, target);
    });
    target.insertBefore(button, target.firstChild);
    buttons.push(button);
  });
  offer();
  // Voices often arrive a moment after the page.
  if (typeof synth.addEventListener === "function") synth.addEventListener("voiceschanged", offer);
  window.addEventListener("pagehide", stop);
})();
