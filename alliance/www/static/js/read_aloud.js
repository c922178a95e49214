// Read-aloud (issue 11, ADR 0020): a "Listen" button beside an easy-read text reads it
// with the browser's own speech synthesis. Nothing leaves the device, nothing is
// fetched, and the page works the same without this file (the button stays hidden).
// Markup: <button data-read-aloud="ID-OF-THE-TEXT" aria-pressed="false"
//   data-listen-label="Listen" data-stop-label="Stop" hidden>…<span data-label>…</span></button>
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { return; }

  // A little slower than the default: easier to follow for a slow reader.
  var RATE = 0.9;
  // Chrome stops a long utterance after about 15 seconds: read block by block, and cut
  // a long block between its sentences.
  var MAX_CHUNK = 200;
  // What a sighted reader does not see is not read: text kept for screen readers, the
  // button itself, what the page marks as not to be read.
  var SKIP = "[hidden], [aria-hidden='true'], .visually-hidden, [data-no-read], " +
    "[data-read-aloud], script, style, template, noscript";
  var BLOCKS = /^(P|H[1-6]|LI|DT|DD|DIV|SECTION|ARTICLE|HEADER|FOOTER|ASIDE|BLOCKQUOTE|FIGCAPTION|FIGURE|TR|TD|TH|LABEL|LEGEND|SUMMARY|DETAILS|FIELDSET|FORM|UL|OL|DL|TABLE|MAIN|NAV|BR|OPTION)$/;
  var END = /[.!?:;…»"]$/;

  var current = null; // the button whose text is being read

  function blocks(root) {
    var out = [];
    var line = "";
    function flush() {
      var text = line.replace(/\s+/g, " ").trim();
      if (text) { out.push(END.test(text) ? text : text + "."); }
      line = "";
    }
    function walk(node) {
      if (node.nodeType === Node.TEXT_NODE) { line += node.nodeValue; return; }
      if (node.nodeType !== Node.ELEMENT_NODE || node.matches(SKIP)) { return; }
      // A closed "more" disclosure: only its summary shows.
      if (node.tagName === "DETAILS" && !node.open) {
        var summary = node.querySelector(":scope > summary");
        flush();
        if (summary) { walk(summary); }
        flush();
        return;
      }
      if (node.tagName === "IMG") { line += " " + (node.getAttribute("alt") || "") + " "; return; }
      var block = BLOCKS.test(node.tagName);
      if (block) { flush(); }
      node.childNodes.forEach(walk);
      if (block) { flush(); }
    }
    walk(root);
    flush();
    return out;
  }

  function chunks(texts) {
    var out = [];
    texts.forEach(function (text) {
      if (text.length <= MAX_CHUNK) { out.push(text); return; }
      var piece = "";
      (text.match(/[^.!?…]+[.!?…]*\s*/g) || [text]).forEach(function (sentence) {
        if (piece && (piece + sentence).length > MAX_CHUNK) { out.push(piece.trim()); piece = ""; }
        piece += sentence;
      });
      if (piece.trim()) { out.push(piece.trim()); }
    });
    return out;
  }

  function pageLanguage() {
    var lang = (document.documentElement.getAttribute("lang") || "fr").toLowerCase();
    return lang.indexOf("fr") === 0 ? "fr-FR" : lang;
  }

  // A voice of the page's language, installed on the device first (it works offline
  // and sends the text nowhere); the exact region before any other.
  function voiceFor(lang) {
    var prefix = lang.slice(0, 2);
    var voices = synth.getVoices().filter(function (voice) {
      return (voice.lang || "").toLowerCase().replace("_", "-").indexOf(prefix) === 0;
    });
    function score(voice) {
      var exact = voice.lang.toLowerCase().replace("_", "-") === lang.toLowerCase();
      return (voice.localService ? 2 : 0) + (exact ? 1 : 0);
    }
    voices.sort(function (a, b) { return score(b) - score(a); });
    return voices[0] || null;
  }

  function show(button, speaking) {
    button.setAttribute("aria-pressed", speaking ? "true" : "false");
    var label = button.querySelector("[data-label]") || button;
    label.textContent = button.getAttribute(speaking ? "data-stop-label" : "data-listen-label");
  }

  function stop() {
    if (current) { show(current, false); }
    current = null;
    synth.cancel();
  }

  // Another text may still be read (its last words, or one the page started): end it
  // first. Only then, since some browsers drop an utterance queued right after a
  // needless cancel.
  function quiet() {
    if (current) { stop(); } else if (synth.speaking || synth.pending) { synth.cancel(); }
  }

  function read(button) {
    var target = document.getElementById(button.getAttribute("data-read-aloud"));
    var parts = target ? chunks(blocks(target)) : [];
    if (!parts.length) { return; }
    quiet();
    current = button;
    show(button, true);
    var lang = pageLanguage();
    var voice = voiceFor(lang);
    parts.forEach(function (text, index) {
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      utterance.rate = RATE;
      if (voice) { utterance.voice = voice; }
      if (index === parts.length - 1) {
        utterance.onend = function () { if (current === button) { show(button, false); current = null; } };
      }
      utterance.onerror = function () { if (current === button) { show(button, false); current = null; } };
      synth.speak(utterance);
    });
  }

  function reveal(root) {
    var buttons = Array.from(root.querySelectorAll("[data-read-aloud]"));
    if (root.matches && root.matches("[data-read-aloud]")) { buttons.push(root); }
    buttons.forEach(function (button) { button.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-read-aloud]") : null;
    if (!button) { return; }
    event.preventDefault();
    if (current === button) { stop(); } else { read(button); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  } else {
    reveal(document);
  }
  // htmx swaps new text (and new buttons) into the page.
  document.addEventListener("htmx:load", function (event) { reveal(event.target); });
  // Leaving the page ends the reading (some browsers would go on talking).
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
