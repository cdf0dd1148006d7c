// Optional: fits a reclaim widget's iframe to its content. A partner pastes it next to the
// iframe; it is served from the widget's own site, which is how it knows which origin to
// trust:
//
//   <script src="https://CAMPAIGN-SITE/static/coalition/widget-resize.js" async></script>
//
// The widget's page posts {type, key, height} (widget.js). This script accepts a message only
// from the origin it was loaded from, and only for an iframe on this page whose window sent
// it, and then sets that iframe's height. It reads nothing else, stores nothing, and cannot
// see into the iframe (another origin).
(function () {
  "use strict";
  var MESSAGE_TYPE = "reclaim-widget-height";
  // Bounds on the height, so that a broken page cannot shrink the frame away or stretch the
  // host page without end.
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 10000;
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var origin = new URL(script.src, document.baseURI).origin;

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) {
      return;
    }
    var data = event.data;
    if (!data || data.type !== MESSAGE_TYPE || typeof data.height !== "number") {
      return;
    }
    var height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, data.height)));
    if (!isFinite(height)) {
      return;
    }
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = height + "px";
        frames[i].setAttribute("height", String(height));
        return;
      }
    }
  });
})();
