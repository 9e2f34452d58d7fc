// The pack's one script: it draws the page's chart from the figure the page carries, and moves
// through the story with the arrow keys (and a presenter's clicker: Page Up / Page Down).
(function () {
  "use strict";
  var holder = document.getElementById("atlas-chart");
  var source = document.getElementById("atlas-figure");
  function failed(message) {
    holder.setAttribute("data-drawn", "failed");
    var note = document.createElement("p");
    note.className = "failed";
    note.textContent = holder.getAttribute("data-failed") + " " + message;
    holder.appendChild(note);
  }
  if (holder && source) {
    if (!window.Plotly) {
      failed("plotly.min.js");
    } else {
      var figure = JSON.parse(source.textContent);
      var layout = figure.layout || {};
      // A slide's chart fills the room the sentence and the source leave on the screen.
      if (holder.getAttribute("data-fill") === "yes") {
        delete layout.height;
      }
      var config = {
        displaylogo: false,
        responsive: true,
        locale: document.documentElement.lang,
        toImageButtonOptions: {format: "png", filename: holder.getAttribute("data-name"), scale: 2}
      };
      Plotly.newPlot(holder, figure.data, layout, config).then(function () {
        // Milliseconds from the start of the navigation to the chart drawn (for `make bench`).
        holder.setAttribute("data-drawn-ms", String(Math.round(performance.now())));
        holder.setAttribute("data-drawn", "yes");
      }, function (error) {
        failed(String(error));
      });
    }
  }
  if (document.body.classList.contains("slide")) {
    var keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev"};
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
        return;
      }
      var rel = keys[event.key];
      var target = rel && document.querySelector('a[rel="' + rel + '"]');
      if (target) {
        event.preventDefault();
        window.location.href = target.href;
      }
    });
  }
})();
