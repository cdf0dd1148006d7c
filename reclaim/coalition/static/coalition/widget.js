// The widget's page, inside a partner's iframe (reclaim.coalition.views.widgets).
//
// 1. Tells the host page how tall the page is, so that the host's optional resize script
//    (widget-resize.js) can fit the iframe to it. The message carries the widget's key and a
//    height, nothing else, so it may go to any parent ("*"): the host's script checks that it
//    comes from our origin.
// 2. Keeps the counter fresh from the public count (the page may be a few seconds old).
//
// Nothing is stored in the browser: no cookie, no localStorage.

const MESSAGE_TYPE = "reclaim-widget-height";
// The count is refreshed every minute: counts are aggregated every few seconds, and a
// widget may stay open in a tab for a long time.
const COUNTER_EVERY_MS = 60_000;

// The body's own height (widget.css makes it contain its children's margins), not the
// document's: that is never less than the frame, so the frame could grow but never shrink.
function contentHeight() {
  return Math.ceil(document.body.getBoundingClientRect().height);
}

function followHeight() {
  const key = document.body.dataset.widgetKey || "";
  if (window.parent === window) {
    return;
  }
  let last = 0;
  const send = () => {
    const height = contentHeight();
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: MESSAGE_TYPE, key, height }, "*");
    }
  };
  send();
  if ("ResizeObserver" in window) {
    new ResizeObserver(send).observe(document.body);
  }
  window.addEventListener("load", send);
}

async function refreshCounter(paragraph) {
  try {
    const response = await fetch(paragraph.dataset.counter, {
      credentials: "omit",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      return;
    }
    const counts = await response.json();
    const total = Number(counts.total);
    const goal = Number(counts.goal);
    if (!Number.isFinite(total)) {
      return;
    }
    const number = paragraph.querySelector("strong");
    if (number) {
      number.textContent = new Intl.NumberFormat(document.documentElement.lang).format(total);
    }
    const bar = paragraph.parentElement.querySelector("progress");
    if (bar && goal > 0) {
      const percent = Math.min(100, Math.round((100 * total) / goal));
      bar.value = percent;
      bar.textContent = `${percent} %`;
    }
  } catch {
    // Offline or refused: the figure stays as the page gave it.
  }
}

followHeight();
const counter = document.querySelector("[data-counter]");
if (counter && window.fetch) {
  setInterval(() => refreshCounter(counter), COUNTER_EVERY_MS);
}
