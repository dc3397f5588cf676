// The editor (served by `diptych review`, body[data-editable]): every action posts one edit
// to /api/edits with the page's version, then reloads the page, which the server renders from
// the edited run. Keys and buttons share one table of actions. Runs after review.js, whose
// `form`, `apply` and `findings` it uses.
const version = Number(document.body.dataset.version);
const rows = [...document.querySelectorAll("#beads tr[data-bead]")];
const editForm = document.getElementById("edit-form");
const statusLine = document.getElementById("status");
const VIEW = "diptych-review-view";
const langs = document.body.dataset.langs.split(" ");
let focused = 0;
let pending = null;

const beadOf = row => Number(row.dataset.bead);
const focusedRow = () => rows[focused];

function focusBead(i, scroll = true) {
  if (rows.length === 0) return;
  focused = Math.max(0, Math.min(i, rows.length - 1));
  for (const r of rows) r.classList.toggle("focused", beadOf(r) === focused);
  if (scroll) focusedRow().scrollIntoView({ block: "center" });
}

function step(delta) {
  const shown = rows.filter(r => !r.classList.contains("hidden"));
  if (shown.length === 0) return;
  const ahead = delta > 0 ? shown.filter(r => beadOf(r) > focused) : shown.filter(r => beadOf(r) < focused).reverse();
  if (ahead.length) focusBead(beadOf(ahead[0]));
}

// The sentences of one side (0 left, 1 right) of a row: language, index, current text.
function sentences(row, side) {
  const cell = row.querySelectorAll("td[lang]")[side];
  return [...cell.querySelectorAll("span.s")].map(s => {
    const copy = s.cloneNode(true);
    copy.querySelectorAll("del").forEach(d => d.remove());
    return { lang: cell.lang, index: Number(s.id.split("-s").pop()), text: copy.textContent };
  });
}

function saveView(message) {
  const boxes = {};
  for (const i of form.querySelectorAll("input[type=checkbox]")) boxes[i.id || `${i.name}=${i.value}`] = i.checked;
  sessionStorage.setItem(VIEW, JSON.stringify({ focused, boxes, message: message || "" }));
}

function restoreView() {
  const saved = JSON.parse(sessionStorage.getItem(VIEW) || "null");
  if (!saved) return;
  for (const i of form.querySelectorAll("input[type=checkbox]")) {
    const key = i.id || `${i.name}=${i.value}`;
    if (key in saved.boxes) i.checked = saved.boxes[key];
  }
  focused = saved.focused;
  statusLine.textContent = saved.message;
}

async function post(edit) {
  statusLine.textContent = "saving…";
  try {
    const r = await fetch("/api/edits", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...edit, version }),
    });
    const body = await r.json();
    if (r.status === 200) {
      saveView("");
      location.reload();
    } else if (r.status === 409) {
      saveView(`Not saved: ${body.error}`);
      location.reload();
    } else {
      statusLine.textContent = `Not saved: ${body.error}`;
    }
  } catch (e) {
    statusLine.textContent = `Not saved: ${e}`;
  }
}

function field(type, name, value, label) {
  const l = document.createElement("label");
  l.textContent = `${label} `;
  const i = document.createElement("input");
  i.type = type;
  i.name = name;
  i.value = value;
  if (type === "number") i.min = 0;
  l.appendChild(i);
  return l;
}

function openForm(label, fields, submit) {
  document.getElementById("edit-label").textContent = label;
  const box = document.getElementById("edit-fields");
  box.textContent = "";
  fields.forEach(f => box.appendChild(f));
  pending = submit;
  editForm.hidden = false;
  const first = box.querySelector("input, select");
  if (first) { first.focus(); if (first.select) first.select(); }
}

function closeForm() {
  editForm.hidden = true;
  pending = null;
  if (document.activeElement) document.activeElement.blur();
}

function value(name) {
  return editForm.querySelector(`[name=${name}]`).value;
}

function split() {
  const sides = [0, 1].map(side => sentences(focusedRow(), side));
  const fields = sides.map((s, side) => field("number", `at${side}`, Math.ceil(s.length / 2), `${langs[side]}: sentences in the first part`));
  openForm(`Split bead ${focused}`, fields, () => {
    post({ op: "split", bead: focused, at: { [langs[0]]: Number(value("at0")), [langs[1]]: Number(value("at1")) } });
  });
}

function correct() {
  const all = [0, 1].flatMap(side => sentences(focusedRow(), side));
  if (all.length === 0) return;
  const select = document.createElement("select");
  select.name = "sentence";
  all.forEach((s, k) => {
    const o = document.createElement("option");
    o.value = k;
    o.textContent = `${s.lang} ${s.index}`;
    select.appendChild(o);
  });
  const text = field("text", "text", all[0].text, "text");
  select.addEventListener("change", () => { text.querySelector("input").value = all[Number(select.value)].text; });
  openForm(`Correct a sentence of bead ${focused}`, [select, text], () => {
    const s = all[Number(select.value)];
    post({ op: "correct", lang: s.lang, sentence: s.index, text: value("text") });
  });
}

// The focused bead's next finding still undecided (else its first), shown in the notes row.
function currentFinding() {
  const items = [...document.querySelectorAll(`tr.notes[data-of="${focused}"] li.finding`)];
  const open = items.find(li => !li.classList.contains("hidden") && li.querySelector("[data-status=open]"));
  const li = open || items[0];
  if (!li) statusLine.textContent = `Bead ${focused} has no finding.`;
  return li ? Number(li.dataset.f) : null;
}

function decide(op) {
  const f = currentFinding();
  if (f === null) return;
  if (op !== "dismiss") { post({ op, finding: f }); return; }
  openForm(`Dismiss ${findings[f].check}: ${findings[f].message}`, [field("text", "reason", "", "reason")], () => {
    post({ op: "dismiss", finding: f, reason: value("reason") });
  });
}

function approveSection() {
  const section = focusedRow().dataset.section;
  const beads = rows.filter(r => r.dataset.section === section && !r.classList.contains("approved")).map(beadOf);
  if (beads.length === 0) { statusLine.textContent = "This section is already approved."; return; }
  post({ op: "approve", beads });
}

const move = (lang, to) => () => post({ op: "move", bead: focused, lang, to });

const ACTIONS = {
  j: () => step(1), ArrowDown: () => step(1),
  k: () => step(-1), ArrowUp: () => step(-1),
  m: () => post({ op: "merge", beads: [focused, focused + 1] }),
  s: split,
  "[": move(langs[0], "previous"), "]": move(langs[0], "next"),
  "{": move(langs[1], "previous"), "}": move(langs[1], "next"),
  n: () => post({ op: "no_counterpart", bead: focused }),
  e: correct,
  a: () => post({ op: focusedRow().classList.contains("approved") ? "unapprove" : "approve", beads: [focused] }),
  A: approveSection,
  c: () => decide("confirm"),
  d: () => decide("dismiss"),
  f: () => decide("fix"),
  u: () => post({ op: "undo" }),
  r: () => post({ op: "redo" }),
};

document.addEventListener("keydown", e => {
  // Typing in a field is not a command; a checkbox of the filters is no field.
  if (e.target.closest && e.target.closest("input[type=text], input[type=number], select, textarea")) {
    if (e.key === "Escape") closeForm();
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "Escape") { closeForm(); return; }
  const action = ACTIONS[e.key];
  if (action && rows.length) { e.preventDefault(); action(); }
});

editForm.addEventListener("submit", e => {
  e.preventDefault();
  const submit = pending;
  closeForm();
  if (submit) submit();
});
document.getElementById("edit-cancel").addEventListener("click", closeForm);
for (const b of document.querySelectorAll("#editor button[data-key]")) {
  b.addEventListener("click", () => { const action = ACTIONS[b.dataset.key]; if (action && rows.length) action(); });
}
document.addEventListener("click", e => {
  const row = e.target.closest("tr[data-bead]");
  if (row) focusBead(beadOf(row), false);
});

function applyApproved() {
  const only = document.getElementById("only-unapproved").checked;
  for (const r of rows) if (only && r.classList.contains("approved")) r.classList.add("hidden");
  for (const n of document.querySelectorAll("tr.notes[data-of]")) {
    if (document.getElementById(`b${n.dataset.of}`).classList.contains("hidden")) n.classList.add("hidden");
  }
}

form.addEventListener("change", () => { applyApproved(); saveView(statusLine.textContent); });
restoreView();
apply();
applyApproved();
focusBead(focused);
