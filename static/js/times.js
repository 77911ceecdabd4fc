// Nära: the times of a reminder. "Add another time" adds an empty time field in place and
// focuses it; "Remove" takes one away and focuses the field now in its place. Without this
// script the same buttons send the form, and the server draws it again with one more or
// one fewer field (push/routes.py), so nothing here is needed to set a reminder.
(function () {
  "use strict";

  function setUp(box) {
    var form = box.closest("form");
    var list = box.querySelector("[data-time-slots]");
    var add = box.querySelector("[data-add-time]");
    var max = parseInt(box.getAttribute("data-max"), 10) || 6;
    var label = box.getAttribute("data-label"), removeLabel = box.getAttribute("data-remove-label");
    if (!form || !list || !add || !label || !removeLabel) { return; }
    // These buttons no longer send the form, so Enter in a field presses "Save reminder":
    // the stand-in that did that without JavaScript can go.
    var implicit = form.querySelector("[data-implicit-submit]");
    if (implicit) { implicit.remove(); }
    add.type = "button";
    list.querySelectorAll("[data-remove-time]").forEach(function (button) { button.type = "button"; });

    function slots() { return Array.prototype.slice.call(list.querySelectorAll("[data-time-slot]")); }

    function renumber() {
      slots().forEach(function (slot, index) {
        var number = String(index + 1), id = index === 0 ? "times" : "times-" + number;
        var input = slot.querySelector("input"), button = slot.querySelector("[data-remove-time]");
        input.id = id;
        slot.querySelector("label").htmlFor = id;
        slot.querySelector("label").textContent = label.replace("#", number);
        button.value = String(index);
        button.setAttribute("aria-label", removeLabel.replace("#", number));
      });
      add.hidden = slots().length >= max;
    }

    function empty(input) {
      input.value = "";
      input.type = "time";
      input.removeAttribute("inputmode");
      input.removeAttribute("aria-invalid");
      input.removeAttribute("autofocus");
    }

    add.addEventListener("click", function () {
      var all = slots();
      if (all.length >= max) { return; }
      var slot = all[all.length - 1].cloneNode(true);
      empty(slot.querySelector("input"));
      list.appendChild(slot);
      renumber();
      slot.querySelector("input").focus();
    });

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-time]");
      if (!button || !list.contains(button)) { return; }
      event.preventDefault();
      var slot = button.closest("[data-time-slot]"), all = slots();
      if (all.length === 1) {  // the last one is emptied, not taken away: a field stays to write in
        empty(slot.querySelector("input"));
        slot.querySelector("input").focus();
        return;
      }
      var index = all.indexOf(slot);
      slot.remove();
      renumber();
      var rest = slots();
      rest[Math.min(index, rest.length - 1)].querySelector("input").focus();
    });
  }

  document.querySelectorAll("[data-times]").forEach(setUp);
})();
