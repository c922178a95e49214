// The voice note recorder (ADR 0019). The page works without it: a form with a sound
// file. Where the browser can record, this shows Record / Stop / Listen again, counts
// the time, stops at the longest a note may be, and puts the recording in the form's
// file field, so that "Send" posts it like a chosen file. Nothing leaves the browser
// before "Send".
(function () {
  "use strict";

  // What the browsers record: Opus in WebM (Chromium, Firefox), in Ogg (older
  // Firefox), AAC in MP4 (Safari). The server checks the bytes again.
  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
  var EXTENSIONS = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a" };

  function canRecord() {
    return !!(
      navigator.mediaDevices &&
      navigator.mediaDevices.getUserMedia &&
      window.MediaRecorder &&
      window.DataTransfer
    );
  }

  function pickType() {
    if (!MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  function clock(seconds) {
    var s = Math.floor(seconds % 60);
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  function setUp(form) {
    var live = form.querySelector("[data-voice-live]");
    var start = form.querySelector("[data-voice-start]");
    var stop = form.querySelector("[data-voice-stop]");
    var replay = form.querySelector("[data-voice-replay]");
    var timer = form.querySelector("[data-voice-timer]");
    var status = form.querySelector("[data-voice-status]");
    var preview = form.querySelector("[data-voice-preview]");
    var input = form.querySelector("[data-voice-input]");
    var seconds = form.querySelector("input[name=seconds]");
    var limit = parseInt(form.getAttribute("data-max-seconds"), 10) || 120;
    var recorder = null;
    var stream = null;
    var chunks = [];
    var began = 0;
    var ticking = null;
    var stoppedByLimit = false;
    var previewUrl = null;

    live.hidden = false;

    function say(key) {
      status.textContent = status.getAttribute("data-" + key);
    }

    function elapsed() {
      return Math.min(limit, (Date.now() - began) / 1000);
    }

    function finish() {
      clearInterval(ticking);
      if (stream) {
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
      }
      var type = (recorder.mimeType || "audio/webm").split(";")[0];
      var blob = new Blob(chunks, { type: type });
      var file = new File([blob], "message-vocal." + (EXTENSIONS[type] || "webm"), {
        type: type,
      });
      var transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      seconds.value = Math.max(1, Math.round(elapsed()));
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = URL.createObjectURL(blob);
      preview.src = previewUrl;
      stop.hidden = true;
      start.hidden = false;
      replay.hidden = false;
      say(stoppedByLimit ? "limit" : "stopped");
      replay.focus();
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(
        function (granted) {
          stream = granted;
          var type = pickType();
          recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
          chunks = [];
          stoppedByLimit = false;
          recorder.addEventListener("dataavailable", function (event) {
            if (event.data && event.data.size) chunks.push(event.data);
          });
          recorder.addEventListener("stop", finish);
          recorder.start(1000);
          began = Date.now();
          timer.textContent = clock(0);
          ticking = setInterval(function () {
            timer.textContent = clock(elapsed());
            if (elapsed() >= limit && recorder.state === "recording") {
              stoppedByLimit = true;
              recorder.stop();
            }
          }, 250);
          start.hidden = true;
          replay.hidden = true;
          preview.hidden = true;
          stop.hidden = false;
          stop.focus();
          say("recording");
        },
        function () {
          say("denied");
        }
      );
    });

    stop.addEventListener("click", function () {
      if (recorder && recorder.state === "recording") recorder.stop();
    });

    replay.addEventListener("click", function () {
      preview.hidden = false;
      preview.play();
    });
  }

  function init() {
    if (!canRecord()) return;
    var forms = document.querySelectorAll("form[data-voice-recorder]");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
