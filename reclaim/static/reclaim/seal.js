// Seals a form's personal fields in the visitor's browser, before they leave the page.
//
// A form with data-seal="ID" names a JSON block made by the server (sealing_config in
// reclaim/letters/forms.py): the campaign's public key and its id, the context bound into
// every box, the layout of the payload, and each field's checks with the server's own
// messages in the visitor's language. When the form is sent, this module
//
// 1. checks the fields as the server would, because the server cannot check what it cannot
//    read, and shows any error the way the server does (templates/forms/fields.html);
// 2. seals the payload to the key in the format of docs/sealed-box.md, version 1 (ECDH on
//    P-256, HKDF-SHA256, AES-256-GCM: WebCrypto only);
// 3. sends a copy of the form without the fields that travel only in the box, with the box
//    and the key's id. The email address travels readable as well, because the server
//    needs it for the confirmation mail and the duplicate check, and so does a name its
//    signer asks to publish.
//
// Nothing here may keep anyone from signing. Without WebCrypto (plain http on a host other
// than localhost) the module leaves the form alone; if sealing fails, the form is sent as it
// is and the server seals on arrival, exactly as it does without JavaScript.

const VERSION = 1;
const INFO = "reclaim seal v1";
const NONCE_BYTES = 12;
const CURVE = { name: "ECDH", namedCurve: "P-256" };
const encoder = new TextEncoder();

// What the server refuses in text (reclaim/lib/text.py): control, surrogate, private-use
// and unassigned code points, and the text-direction embeddings, overrides and isolates.
const INVISIBLE = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}\u202A-\u202E\u2066-\u2069]/u;
// The control characters a field of several lines may hold.
const TEXT_ALLOWED = /[\t\n\r]/g;
// Only what the server would refuse in any case: one @, and a dot in the domain after it.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function fromBase64(text) {
  return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
}

function toBase64(bytes) {
  let text = "";
  for (const byte of bytes) {
    text += String.fromCharCode(byte);
  }
  return btoa(text);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// --- The box (docs/sealed-box.md) --------------------------------------------------------

function importRecipient(spki) {
  return crypto.subtle.importKey("spki", fromBase64(spki), CURVE, true, []);
}

async function seal(recipient, payload, context) {
  const ephemeral = await crypto.subtle.generateKey(CURVE, false, ["deriveBits"]);
  const epk = new Uint8Array(await crypto.subtle.exportKey("raw", ephemeral.publicKey));
  const rpk = new Uint8Array(await crypto.subtle.exportKey("raw", recipient));
  const shared = await crypto.subtle.deriveBits(
    { name: "ECDH", public: recipient },
    ephemeral.privateKey,
    256,
  );
  const ikm = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: concat(epk, rpk), info: encoder.encode(INFO) },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: nonce,
      additionalData: encoder.encode(`reclaim/v${VERSION}/${context}`),
      tagLength: 128,
    },
    key,
    encoder.encode(JSON.stringify(payload)),
  );
  return concat(Uint8Array.of(VERSION), epk, nonce, new Uint8Array(ciphertext));
}

// --- The fields, as the server reads them -----------------------------------------------

function textOf(control) {
  let value = control.value;
  if (control instanceof HTMLTextAreaElement) {
    // As the browser sends it, and as the server counts and keeps it: line breaks as CR LF.
    value = value.replace(/\r\n|\r|\n/g, "\r\n");
  }
  // Django strips the white space around a value before it checks or keeps it.
  return value.trim();
}

function controlOf(form, name) {
  const control = form.elements.namedItem(name);
  return control instanceof Element ? control : null;
}

// The messages the server would give for this field, in the order it gives them.
function problemsOf(rule, control, typedLength) {
  if (control === null || control.type === "checkbox") {
    return [];
  }
  const value = textOf(control);
  if (value === "") {
    return rule.required ? [rule.required_message] : [];
  }
  const found = [];
  for (const check of rule.checks) {
    if (check.check === "max") {
      // Django counts code points; String.length counts UTF-16 units.
      const length = Array.from(value).length;
      if (length > check.limit) {
        found.push(check.message.replace(typedLength, () => String(length)));
      }
    } else if (check.check === "null") {
      if (value.includes("\0")) {
        found.push(check.message);
      }
    } else if (check.check === "control") {
      if (INVISIBLE.test(check.text ? value.replace(TEXT_ALLOWED, "") : value)) {
        found.push(check.message);
      }
    } else if (check.check === "email") {
      // The server checks the address only once the field's other checks pass.
      if (found.length === 0 && !EMAIL_SHAPE.test(value)) {
        found.push(check.message);
      }
    }
  }
  return found;
}

function problems(form, config) {
  const errors = new Map();
  for (const [name, rule] of Object.entries(config.fields)) {
    const found = problemsOf(rule, controlOf(form, name), config.typed_length);
    if (found.length > 0) {
      errors.set(name, found);
    }
  }
  return errors;
}

function normalisedEmail(value) {
  const at = value.lastIndexOf("@");
  if (at === -1) {
    return value;
  }
  // As the server keeps it: the domain in lower case, the whole in Unicode form NFC.
  return `${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}`.normalize("NFC");
}

// The object SignerData.sealed_payload() would make of this form (reclaim/letters/services.py).
function payloadOf(form, config) {
  const payload = { kind: config.kind };
  for (const { key, flag, optional } of config.payload) {
    const control = controlOf(form, key);
    if (flag) {
      payload[key] = Boolean(control && control.checked);
      continue;
    }
    let value = control === null ? "" : textOf(control);
    const rule = config.fields[key] || {};
    if (key === "email") {
      value = normalisedEmail(value);
    } else if (rule.assume_scheme && value !== "" && !HAS_SCHEME.test(value)) {
      value = `${rule.assume_scheme}://${value}`;
    }
    if (optional && value === "") {
      continue;
    }
    payload[key] = value;
  }
  return payload;
}

// --- Errors, shown as the server shows them ---------------------------------------------

function element(tag, attributes = {}) {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    made.setAttribute(name, value);
  }
  return made;
}

function describedBy(control, without) {
  return (control.getAttribute("aria-describedby") || "")
    .split(/\s+/)
    .filter((id) => id !== "" && id !== without);
}

function clearErrors(form) {
  for (const old of form.querySelectorAll(".error-summary, .field > p.error")) {
    old.remove();
  }
  for (const field of form.querySelectorAll(".field-error")) {
    field.classList.remove("field-error");
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    const rest = describedBy(control, `${control.id}_error`);
    if (rest.length > 0) {
      control.setAttribute("aria-describedby", rest.join(" "));
    } else {
      control.removeAttribute("aria-describedby");
    }
  }
}

function showErrors(form, config, errors) {
  clearErrors(form);
  const { messages } = config;
  const summary = element("div", {
    class: "error-summary",
    role: "alert",
    tabindex: "-1",
    id: "error-summary",
  });
  const heading = element("h2");
  heading.textContent = messages.summary;
  const list = element("ul");
  for (const [name, found] of errors) {
    const control = controlOf(form, name);
    const label = config.fields[name].label;
    for (const message of found) {
      const link = element("a", { href: `#${control.id}` });
      link.textContent = messages.item
        .replace("%(label)s", () => label)
        .replace("%(error)s", () => message);
      const item = element("li");
      item.append(link);
      list.append(item);
    }
    const error = element("p", { class: "error", id: `${control.id}_error` });
    error.textContent = found.join(" ");
    const field = control.closest(".field");
    if (field) {
      field.classList.add("field-error");
    }
    control.before(error);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [...describedBy(control, error.id), error.id].join(" "));
  }
  summary.append(heading, list);
  const first = form.querySelector(".field");
  if (first) {
    first.before(summary);
  } else {
    form.prepend(summary);
  }
  if (!document.title.startsWith(messages.title)) {
    document.title = `${messages.title} ${document.title}`;
  }
  summary.focus();
}

// --- Sending -------------------------------------------------------------------------------

let outgoing = null;

function hidden(name, value) {
  const input = element("input", { type: "hidden", name });
  input.value = value;
  return input;
}

async function sealAndSend(form, config, recipient) {
  const listed = controlOf(form, config.listed_field);
  const published = listed && listed.checked ? config.published_when_listed : [];
  const withheld = new Set(config.withhold.filter((name) => !published.includes(name)));
  const box = await seal(await recipient, payloadOf(form, config), config.context);

  // A copy of the form is sent, not the form: what the visitor typed stays where it is if
  // they come back to this page.
  const copy = element("form", { method: "post", action: form.getAttribute("action") });
  copy.hidden = true;
  for (const [name, value] of new FormData(form)) {
    if (!withheld.has(name) && name !== config.box_field && name !== config.key_field) {
      copy.append(hidden(name, value));
    }
  }
  copy.append(hidden(config.box_field, toBase64(box)), hidden(config.key_field, config.key_id));
  if (outgoing) {
    outgoing.remove();
  }
  outgoing = copy;
  document.body.append(copy);
  HTMLFormElement.prototype.submit.call(copy);
}

function wire(form, config) {
  const recipient = importRecipient(config.key);
  // A key WebCrypto cannot use fails the first submit, which then goes as it is.
  recipient.catch(() => {});
  let sending = false;
  window.addEventListener("pageshow", () => {
    // Back on this page from the browser's history: the visitor may send it again.
    sending = false;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (sending) {
      return;
    }
    const errors = problems(form, config);
    if (errors.size > 0) {
      showErrors(form, config, errors);
      return;
    }
    sending = true;
    sealAndSend(form, config, recipient).catch(() => {
      // Never block signing: the server seals what arrives readable.
      HTMLFormElement.prototype.submit.call(form);
    });
  });
  const note = form.querySelector("[data-seal-note]");
  if (note) {
    note.hidden = false;
  }
}

function main() {
  // WebCrypto exists only in secure contexts (HTTPS, localhost): elsewhere the form goes
  // as it is, as it does without JavaScript.
  if (!window.isSecureContext || !window.crypto || !crypto.subtle) {
    return;
  }
  for (const form of document.querySelectorAll("form[data-seal]")) {
    const block = document.getElementById(form.dataset.seal);
    if (!block) {
      continue;
    }
    try {
      wire(form, JSON.parse(block.textContent));
    } catch {
      // A page this module cannot read is sent as it is.
    }
  }
}

main();
