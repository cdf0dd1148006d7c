// Proof of work for the signing form, solved in the background while the visitor types.
//
// When the visitor starts on the form, the script asks our own server (the form's data-pow
// address, reclaim.shield.views) whether a challenge is needed right now; the page itself is
// the same for everyone. A challenge from reclaim.shield.pow: find the number n, at most
// maxNumber, for which SHA-256(salt + n) in hex equals the challenge. The answer goes into
// the hidden "altcha" field as the base64 JSON payload the server verifies. The form never
// waits for it: a visitor who submits first simply sends an empty field, and the server
// applies its plain limits. Nothing is sent anywhere but to this site.

// Digests requested at once: WebCrypto hashes off the main thread, so a batch in flight
// keeps it busy without a Worker.
const BATCH = 64;
// Give the page back to the browser at least this often (milliseconds), so typing and
// painting never stutter while the loop runs.
const SLICE_MS = 30;

const encoder = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function solve({ challenge, maxNumber, salt }) {
  let sliceStart = performance.now();
  for (let start = 0; start <= maxNumber; start += BATCH) {
    const end = Math.min(start + BATCH, maxNumber + 1);
    const pending = [];
    for (let n = start; n < end; n += 1) {
      pending.push(crypto.subtle.digest("SHA-256", encoder.encode(salt + n)));
    }
    const digests = await Promise.all(pending);
    const found = digests.findIndex((digest) => hex(digest) === challenge);
    if (found !== -1) {
      return start + found;
    }
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTask();
      sliceStart = performance.now();
    }
  }
  return null;
}

async function fetchTask(url) {
  try {
    const response = await fetch(url, { credentials: "omit", headers: { Accept: "application/json" } });
    // 204: the site is not busy, nothing to solve.
    return response.status === 200 ? await response.json() : null;
  } catch {
    return null;
  }
}

async function work(form, field) {
  const task = await fetchTask(form.dataset.pow);
  if (!task || task.algorithm !== "SHA-256") {
    return;
  }
  const number = await solve(task);
  if (number === null) {
    return;
  }
  field.value = btoa(
    JSON.stringify({
      algorithm: task.algorithm,
      challenge: task.challenge,
      number,
      salt: task.salt,
      signature: task.signature,
    }),
  );
}

function main() {
  const form = document.querySelector("form[data-pow]");
  const field = form ? form.querySelector('input[name="altcha"]') : null;
  // WebCrypto exists only on secure origins (HTTPS, localhost); elsewhere the form goes
  // without a solution, as it does without JavaScript.
  if (!form || !field || !window.crypto || !crypto.subtle || !window.fetch) {
    return;
  }
  // Asked when the visitor starts on the form, not on every page view: most readers never
  // sign, and the challenge depends on the load at that moment.
  form.addEventListener("focusin", () => work(form, field), { once: true });
}

main();
