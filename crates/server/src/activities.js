// The activities page: sends the form's filter to /api/activities/view, keeps it in the URL,
// renders the rows, counts and timeline the server computed, and the beads of the activity
// clicked. All filtering, sorting and counting happen on the server. No libraries.
"use strict";
const form = document.getElementById("filters");
const FILTERS = ["partner", "place", "text", "from", "to", "level", "doc"];
const PAGE = 100;
const reports = new Set(JSON.parse(document.getElementById("reports").textContent));
const $ = id => document.getElementById(id);
let loads = 0;
let latest = 0;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function field(name) { return form.elements[name].value.trim(); }

/** The filter as URL parameters, with sort and offset when `all`. */
function params(all) {
  const p = new URLSearchParams();
  for (const f of FILTERS) if (field(f)) p.set(f, field(f));
  if (all) for (const f of ["sort", "desc", "offset"]) if (field(f) && field(f) !== "0") p.set(f, field(f));
  return p;
}

async function load() {
  const shown = params(true);
  history.replaceState(null, "", "/activities" + (shown.size ? "?" + shown : "") + location.hash);
  const filter = params(false);
  $("csv").href = "/api/activities.csv" + (filter.size ? "?" + filter : "");
  $("json").href = "/api/activities.json" + (filter.size ? "?" + filter : "");
  const query = params(true);
  query.set("limit", PAGE);
  const seq = ++latest;
  document.body.dataset.busy = "1";
  const answer = await fetch("/api/activities/view?" + query);
  const body = await answer.json();
  if (seq !== latest) return;
  $("error").hidden = answer.ok;
  if (answer.ok) render(body); else $("error").textContent = body.error;
  document.body.dataset.busy = "0";
  document.body.dataset.loads = String(++loads);
}

function render(view) {
  const end = Math.min(view.total, view.offset + view.rows.length);
  $("summary").textContent = `${view.total} activities` +
    (view.total > view.rows.length ? `, ${view.offset + 1}–${end} shown` : "");
  $("range").textContent = view.total ? `${view.offset + 1}–${end} of ${view.total}` : "";
  $("prev").disabled = view.offset === 0;
  $("next").disabled = end >= view.total;
  $("timeline").innerHTML = view.timeline; // SVG drawn and escaped by the server
  renderCounts(view.counts);
  const tbody = document.querySelector("#activities tbody");
  tbody.replaceChildren(...view.rows.map(row));
  for (const b of document.querySelectorAll("th button")) {
    const on = b.dataset.sort === (field("sort") || "date");
    b.classList.toggle("asc", on && !field("desc"));
    b.classList.toggle("desc", on && !!field("desc"));
  }
}

const LEVELS = ["heads_of_government", "ministerial", "senior_officials", "other"];

function renderCounts(counts) {
  const head = el("tr", {}, el("th", {}, "year"),
    ...LEVELS.map(l => el("th", {}, el("span", { class: `level ${l}` }, l.replaceAll("_", " ")))),
    el("th", {}, "all"));
  const rows = counts.map(c => el("tr", {}, el("th", {}, c.year === null ? "undated" : String(c.year)),
    ...LEVELS.map(l => el("td", {}, String(c.levels[l] || ""))), el("td", {}, String(c.total))));
  $("counts").replaceChildren(head, ...rows);
}

function row(r) {
  const a = r.activity;
  const tr = el("tr", { "data-doc": r.document, "data-index": String(r.index) });
  const titles = Object.entries(a.titles).map(([lang, t]) => el("span", { class: "title", lang }, t));
  const doc = reports.has(r.document)
    ? el("a", { href: `/documents/${encodeURIComponent(r.document)}/report.html` }, r.document)
    : r.document;
  tr.append(
    el("td", { class: "dates" }, a.dates.length ? a.dates.join(", ") : "undated"),
    el("td", {}, el("span", { class: `level ${a.level}` }, a.level.replaceAll("_", " "))),
    el("td", { class: "titles" }, ...titles),
    el("td", { class: "places" }, ...names(a.places)),
    el("td", { class: "partners" }, ...names(a.partners)),
    el("td", { class: "document" }, doc));
  return tr;
}

/** Each place: its canonical name (marked when not in the gazetteer) and how each language
 * wrote it. */
function names(places) {
  return places.map(p => {
    const name = el("span", p.in_gazetteer ? { class: "name" } : { class: "name unknown", title: "not in the gazetteer" }, p.name);
    const written = Object.entries(p.written).map(([lang, w]) => `${lang}: ${w}`).join(" · ");
    return el("div", { class: "place" }, name, el("span", { class: "written" }, written));
  });
}

async function openDetail(doc, index) {
  for (const tr of document.querySelectorAll("#activities tr.selected")) tr.classList.remove("selected");
  const answer = await fetch(`/api/documents/${encodeURIComponent(doc)}/activities/${index}`);
  const source = await answer.json();
  if (!answer.ok) { $("error").hidden = false; $("error").textContent = source.error; return; }
  const a = source.record.activity;
  $("detail-title").textContent = Object.values(a.titles).join(" / ");
  $("detail-meta").textContent = `${doc} · ${a.dates.join(", ") || "undated"} · ${a.level.replaceAll("_", " ")}` +
    ` · ${source.beads.length} beads`;
  const link = $("review-link");
  link.hidden = !reports.has(doc);
  link.href = `/documents/${encodeURIComponent(doc)}/report.html#${encodeURIComponent(a.blocks[0] || "")}`;
  const [src, tgt] = source.langs;
  $("beads").replaceChildren(el("tr", {}, el("th", {}, src), el("th", {}, tgt)),
    ...source.beads.map(b => el("tr", { "data-bead": String(b.index) },
      el("td", { lang: src, class: "src" }, b.src), el("td", { lang: tgt, class: "tgt" }, b.tgt))));
  $("detail").hidden = false;
  const tr = document.querySelector(`#activities tr[data-doc="${CSS.escape(doc)}"][data-index="${index}"]`);
  if (tr) tr.classList.add("selected");
}

/** Opens the activity named by a `#a/{document}/{index}` hash. */
function openHash(hash) {
  const m = /^#a\/(.+)\/(\d+)$/.exec(hash);
  if (m) openDetail(decodeURIComponent(m[1]), Number(m[2]));
}

function restart() { form.elements.offset.value = ""; load(); }

let typing;
form.addEventListener("input", e => {
  if (e.target.tagName === "SELECT") return;
  clearTimeout(typing);
  typing = setTimeout(restart, 250);
});
form.addEventListener("change", e => { if (e.target.tagName === "SELECT") restart(); });
form.addEventListener("submit", e => { e.preventDefault(); clearTimeout(typing); restart(); });
for (const b of document.querySelectorAll("th button")) {
  b.addEventListener("click", () => {
    const same = (field("sort") || "date") === b.dataset.sort;
    form.elements.desc.value = same && !field("desc") ? "1" : "";
    form.elements.sort.value = b.dataset.sort;
    restart();
  });
}
$("prev").addEventListener("click", () => {
  form.elements.offset.value = String(Math.max(0, Number(field("offset") || 0) - PAGE)); load();
});
$("next").addEventListener("click", () => {
  form.elements.offset.value = String(Number(field("offset") || 0) + PAGE); load();
});
document.querySelector("#activities tbody").addEventListener("click", e => {
  const tr = e.target.closest("tr[data-doc]");
  if (!tr || e.target.closest("a")) return;
  location.hash = `a/${encodeURIComponent(tr.dataset.doc)}/${tr.dataset.index}`;
});
$("timeline").addEventListener("click", e => {
  const a = e.target.closest("a");
  if (!a) return;
  e.preventDefault();
  location.hash = a.getAttribute("href").slice(1);
});
window.addEventListener("hashchange", () => openHash(location.hash));
$("close").addEventListener("click", () => {
  $("detail").hidden = true;
  history.replaceState(null, "", location.pathname + location.search);
});
load();
openHash(location.hash);
