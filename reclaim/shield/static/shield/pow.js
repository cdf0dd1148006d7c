// Proof of work for the signing form, solved in the background while the visitor types.
//
// The page carries a challenge from reclaim.shield.pow as a JSON data block: find the number
// n, at most maxNumber, for which SHA-256(salt + n) in hex equals the challenge. The answer
// goes into the hidden "altcha" field as the base64 JSON payload the server verifies. The
// form never waits for it: a visitor who submits first simply sends an empty field, and the
// server applies its plain limits. Nothing is sent anywhere but with the form.

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

async function main() {
  const block = document.getElementById("pow-challenge");
  const form = block ? block.closest("form") : null;
  const field = form ? form.querySelector('input[name="altcha"]') : null;
  // WebCrypto exists only on secure origins (HTTPS, localhost); elsewhere the form goes
  // without a solution, as it does without JavaScript.
  if (!block || !field || !window.crypto || !crypto.subtle) {
    return;
  }
  const task = JSON.parse(block.textContent);
  if (task.algorithm !== "SHA-256") {
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

main();
