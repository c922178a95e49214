// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  function focusFirstError(root) {
    var summary = (root || document).querySelector("[data-focus-first-error]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); });

  // A table wider than the screen scrolls in its own box (alliance.css): the box takes
  // the keyboard focus, so that it can be scrolled without a mouse, and has a name.
  function scrollableTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      var box = table.closest(".table-scroll") || table;
      if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth) { return; }
      box.setAttribute("tabindex", "0");
      var caption = table.querySelector("caption");
      if (box !== table) {
        box.setAttribute("role", "region");
      }
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", scrollableTables);
  window.addEventListener("resize", scrollableTables);
  document.addEventListener("htmx:afterSwap", scrollableTables);

  // ASVS 2.1.12 and 2.1.8: let people check what they typed, and see how strong a new
  // password is while they type it (its length: the validators judge the rest).
  function passwordHelpers() {
    document.querySelectorAll("[data-reveals]").forEach(function (box) {
      var input = document.getElementById(box.getAttribute("data-reveals"));
      if (!input) { return; }
      box.closest(".password-reveal").hidden = false;
      box.addEventListener("change", function () { input.type = box.checked ? "text" : "password"; });
    });
    document.querySelectorAll("[data-measures]").forEach(function (meter) {
      var input = document.getElementById(meter.getAttribute("data-measures"));
      var label = document.getElementById(meter.getAttribute("aria-labelledby"));
      if (!input || !label) { return; }
      meter.closest(".password-length").hidden = false;
      input.addEventListener("input", function () {
        var length = Array.from(input.value).length;
        meter.value = Math.min(length, 24);
        var key = length < 12 ? "data-too-short" : length < 16 ? "data-fair" : "data-strong";
        label.textContent = label.getAttribute(key);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", passwordHelpers);
  // Activation letters (ADR 0013): the QR code carries the code in the fragment,
  // which the browser never sends to the server. Copy it into the form, then drop it
  // from the address bar and the history; only posting the form signs in.
  document.addEventListener("DOMContentLoaded", function () {
    var field = document.querySelector("[data-code-from-fragment]");
    var match = /^#code=([A-Za-z0-9-]{1,20})$/.exec(window.location.hash);
    if (field && match) {
      field.value = match[1];
      window.history.replaceState(null, "", window.location.pathname);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // After htmx swaps the standings, keep keyboard users where they were: back on the
  // vote button they pressed, now inside the new markup.
  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    var trigger = detail.requestConfig && detail.requestConfig.elt;
    var form = trigger && trigger.closest ? trigger.closest("form") : null;
    var action = form && form.getAttribute("action");
    var pressed = detail.requestConfig && detail.requestConfig.triggeringEvent &&
      detail.requestConfig.triggeringEvent.submitter;
    var value = pressed && pressed.value;
    if (action) {
      var again = document.querySelector('form[action="' + action + '"] button[value="' + value + '"]');
      if (again) { again.focus(); }
    }
    var alert = document.querySelector("#standings [role=alert]");
    if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
  });

  // Voting in a consultation: after a vote, the next statement replaces the ballot.
  // Keyboard and screen-reader users land on the new statement (or on the error).
  document.addEventListener("htmx:afterSwap", function (event) {
    var config = (event.detail || {}).requestConfig;
    var form = config && config.elt && config.elt.closest ? config.elt.closest(".ballot-form") : null;
    if (!form) { return; }
    var target = document.querySelector("#ballot [role=alert]") ||
      document.getElementById("ballot-statement") ||
      document.querySelector("#ballot .notice");
    if (target) {
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
  });
})();
