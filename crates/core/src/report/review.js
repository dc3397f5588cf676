// Filters by check and severity, highlights the findings that pass, shows a finding's message
// on click. No network, no libraries.
"use strict";
const findings = JSON.parse(document.getElementById("findings").textContent);
const form = document.getElementById("filters");
const popup = document.getElementById("popup");
const rank = { info: 0, warning: 1, error: 2 };

function checked(name) {
  return new Set([...form.querySelectorAll(`input[name=${name}]:checked`)].map(i => i.value));
}

function ids(el) {
  const v = el.getAttribute("data-f");
  return v ? v.split(" ").filter(Boolean).map(Number) : [];
}

function apply() {
  const checks = checked("check");
  const severities = checked("severity");
  const visible = i => checks.has(findings[i].check) && severities.has(findings[i].severity);
  let total = 0;
  findings.forEach((f, i) => { if (visible(i)) total++; });
  document.getElementById("total").textContent = total;
  for (const m of document.querySelectorAll("mark[data-f]")) {
    const shown = ids(m).filter(visible);
    m.classList.toggle("on", shown.length > 0);
    const worst = shown.map(i => findings[i].severity).sort((a, b) => rank[b] - rank[a])[0];
    m.classList.remove("error", "warning", "info");
    if (worst) m.classList.add(worst);
    m.title = shown.map(i => `${findings[i].check}: ${findings[i].message}`).join("\n");
  }
  for (const li of document.querySelectorAll("li.finding")) {
    li.classList.toggle("hidden", !visible(Number(li.dataset.f)));
  }
  const only = document.getElementById("only-findings").checked;
  for (const tr of document.querySelectorAll("#beads tbody tr")) {
    const any = ids(tr).some(visible);
    tr.classList.toggle("hidden", (only && !any) || (tr.classList.contains("notes") && !any));
  }
}

function show(mark) {
  const shown = ids(mark).filter(i => mark.classList.contains("on")
    && checked("check").has(findings[i].check) && checked("severity").has(findings[i].severity));
  if (shown.length === 0) { popup.hidden = true; return; }
  popup.textContent = "";
  for (const i of shown) {
    const line = document.createElement("div");
    const f = findings[i];
    line.textContent = `${f.severity} · ${f.check}: ${f.message}` +
      (f.suggestions.length ? ` (suggestions: ${f.suggestions.join(", ")})` : "");
    popup.appendChild(line);
  }
  const r = mark.getBoundingClientRect();
  popup.style.left = `${Math.max(4, Math.min(r.left, window.innerWidth - 420))}px`;
  popup.style.top = `${r.bottom + 6}px`;
  popup.hidden = false;
}

form.addEventListener("change", apply);
document.addEventListener("click", e => {
  const mark = e.target.closest("mark[data-f]");
  if (mark) show(mark); else popup.hidden = true;
});
document.addEventListener("keydown", e => {
  if (e.key === "Enter" && e.target.matches("mark[data-f]")) show(e.target);
  if (e.key === "Escape") popup.hidden = true;
});
apply();
