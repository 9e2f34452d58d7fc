// Launched by an LMS (Moodle, Canvas...) as a SCORM 1.2 activity, the lesson tells it it was
// opened: the lesson is slides to read, with no score, so opening it completes it. Opened from
// file:// or any plain web server there is no LMS: the script finds nothing and does nothing.
// It loads nothing and sends nothing itself: every call goes to the LMS's own API object.
(function () {
  "use strict";

  // SCORM 1.2's "findAPI" walk: the LMS puts an object named API in a window above the page's
  // frame (or in the window that opened it, for a pop-up). At most 10 steps up each chain.
  function findAPI(win) {
    for (var steps = 0; win && steps <= 10; steps += 1) {
      try {
        if (win.API) {
          return win.API;
        }
      } catch (e) {
        // a window of another origin: reading its properties throws; look no further up
        return null;
      }
      if (!win.parent || win.parent === win) {
        return null;
      }
      win = win.parent;
    }
    return null;
  }

  var api = null;
  try {
    api = findAPI(window) || (window.opener ? findAPI(window.opener) : null);
  } catch (e) {
    api = null;
  }
  if (!api) {
    return;
  }

  // Each call is guarded: an LMS's API that throws must not break the slides.
  function call(name, a, b) {
    try {
      return String(api[name](a, b));
    } catch (e) {
      return "false";
    }
  }

  if (call("LMSInitialize", "") !== "true") {
    return;
  }
  call("LMSSetValue", "cmi.core.lesson_status", "completed");
  call("LMSCommit", "");

  // The session ends when the page goes away; pagehide and unload may both fire: finish once.
  var finished = false;
  function finish() {
    if (!finished) {
      finished = true;
      call("LMSFinish", "");
    }
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("unload", finish);
})();
