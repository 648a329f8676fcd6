"""The review page: one HTML document with its script and style inline, and no data in it.

The page fetches its data (``/api/state``) and saves every decision (``/api/decide``) from the
server that served it, with the token of its address. It builds every element holding data with
``textContent`` (never ``innerHTML``), so a document's ``<script>`` is shown as text; the server's
Content-Security-Policy allows only this page's own script and style (by nonce) and requests to itself.

Keys: ``a`` accept, ``r`` reject, ``u`` undo the decision, ``j``/``↓``/``→`` next, ``k``/``↑``/``←``
previous, ``n`` next not yet reviewed, ``/`` search the indicators (``Enter`` goes to the list,
``Enter`` again takes the indicator chosen), ``Esc`` leave a field. A changed field is saved when it
loses the focus (or on ``Enter`` in the indicator list).

Examples
--------
>>> html = render_page("abc123")
>>> 'nonce="abc123"' in html and "innerHTML" not in html
True
"""

from __future__ import annotations

__all__ = ["render_page"]

_PAGE = r"""<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kexie review</title>
<style nonce="__NONCE__">
__FONT_FACE__
:root { --accept: #1a7f37; --reject: #b42318; --mark: #fff2a8; --current: #ffb000; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.6 "Kexie CJK", system-ui, "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; color: #1f2328; }
header { display: flex; gap: 1rem; align-items: center; padding: .4rem 1rem; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header h1 { font-size: 1rem; margin: 0; }
#progress, #saved { font-size: .85rem; color: #57606a; }
#saved.error { color: var(--reject); font-weight: bold; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(20rem, 2fr); height: calc(100vh - 2.6rem); }
#document { overflow-y: auto; padding: 1rem 1.5rem; white-space: pre-wrap; word-break: break-all; border-right: 1px solid #d0d7de; }
#document mark { background: var(--mark); cursor: pointer; border-radius: 2px; }
#document mark.accepted { background: #c8f0d0; }
#document mark.rejected { background: #f6d0cc; text-decoration: line-through; }
#document mark.flagged { background: #eef1f4; color: #57606a; }
#document mark.current { outline: 3px solid var(--current); }
#panel { overflow-y: auto; padding: 1rem; }
#panel h2 { font-size: 1.3rem; margin: 0 0 .3rem; }
.quote { background: #f6f8fa; padding: .4rem .6rem; border-left: 3px solid #d0d7de; margin: .3rem 0 .8rem; }
.meta { font-size: .85rem; color: #57606a; }
label { display: block; font-size: .85rem; color: #57606a; margin-top: .6rem; }
input, select, textarea { width: 100%; font: inherit; padding: .25rem .4rem; }
#indicator-list { height: 9.5rem; }
.decision { font-weight: bold; }
.decision.accepted { color: var(--accept); }
.decision.rejected { color: var(--reject); }
.buttons { display: flex; gap: .4rem; margin-top: 1rem; flex-wrap: wrap; }
button { font: inherit; padding: .3rem .8rem; }
kbd { border: 1px solid #d0d7de; border-radius: 3px; padding: 0 .25rem; font-size: .8rem; background: #f6f8fa; }
.keys { font-size: .8rem; color: #57606a; margin-top: 1rem; }
</style>
</head>
<body>
<header><h1>kexie review</h1><span id="draft-name"></span><span id="progress"></span><span id="saved"></span></header>
<main>
  <section id="document" aria-label="document"></section>
  <section id="panel" aria-label="candidate">
    <h2 id="raw-text"></h2>
    <div class="meta" id="meta"></div>
    <div class="quote" id="quote"></div>
    <div>decision: <span class="decision" id="decision"></span></div>
    <label for="indicator-search">indicator (<kbd>/</kbd> to search)</label>
    <input id="indicator-search" type="search" autocomplete="off" placeholder="id, 中文, English">
    <select id="indicator-list" size="6" aria-label="indicators"></select>
    <label for="scope_zh">scope</label><input id="scope_zh" data-field="scope_zh">
    <label for="scope_level">scope level</label>
    <select id="scope_level" data-field="scope_level"></select>
    <label for="period_text">period</label><input id="period_text" data-field="period_text">
    <label for="status">status</label>
    <select id="status" data-field="status"></select>
    <label for="note">note</label><input id="note" data-field="note">
    <div class="buttons">
      <button id="previous" type="button">← previous</button>
      <button id="accept" type="button">accept (a)</button>
      <button id="reject" type="button">reject (r)</button>
      <button id="next" type="button">next →</button>
    </div>
    <p class="keys"><kbd>a</kbd> accept · <kbd>r</kbd> reject · <kbd>u</kbd> undo · <kbd>j</kbd>/<kbd>↓</kbd> next ·
      <kbd>k</kbd>/<kbd>↑</kbd> previous · <kbd>n</kbd> next unreviewed · <kbd>/</kbd> indicator · <kbd>Esc</kbd> leave a field.
      Every decision is saved to the draft at once.</p>
  </section>
</main>
<script nonce="__NONCE__">
"use strict";
const TOKEN = new URLSearchParams(location.search).get("token") || "";
const LEVELS = ["", "national", "provincial", "city", "county", "township", "organisation"];
const STATUSES = ["", "achieved", "target"];
let state = null, current = 0, shownDocument = null;
const $ = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}
function fillOptions(select, values) {
  select.replaceChildren(...values.map((value) => { const o = element("option", value || "—"); o.value = value; return o; }));
}
function saved(text, error) { const s = $("saved"); s.textContent = text; s.className = error ? "error" : ""; }

async function api(path, body) {
  const options = { headers: { "X-Kexie-Token": TOKEN }, cache: "no-store" };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(path + ": " + response.status + " " + (await response.text()));
  return response.json();
}

function renderDocument(name) {
  const pane = $("document"), text = state.documents[name];
  const spans = state.candidates.filter((c) => c.document === name && c.start !== null).sort((a, b) => a.start - b.start);
  const nodes = [];
  let at = 0;
  for (const c of spans) {
    const start = Math.max(c.start, at);
    if (start >= c.end) continue;  // inside an earlier highlight
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    const mark = element("mark", text.slice(start, c.end));
    mark.dataset.row = String(c.row);
    mark.addEventListener("click", () => show(c.row));
    nodes.push(mark);
    at = c.end;
  }
  nodes.push(document.createTextNode(text.slice(at)));
  pane.replaceChildren(...nodes);
  shownDocument = name;
}

function markClasses() {
  for (const mark of $("document").querySelectorAll("mark")) {
    const c = state.candidates[Number(mark.dataset.row)];
    const flagged = !c.fields.decision && c.fields.kind && c.fields.kind !== "fact";
    mark.className = (c.fields.decision || "") + (flagged ? " flagged" : "") + (c.row === current ? " current" : "");
  }
}

function fillIndicators(query) {
  const q = (query || "").trim().toLowerCase();
  const chosen = state.candidates[current].fields.indicator_id || "";
  const entries = state.codebook.filter((e) => !q || (e.id + " " + e.zh + " " + e.en).toLowerCase().includes(q));
  const options = [element("option", "— no indicator —")];
  options[0].value = "";
  for (const e of entries) {
    const o = element("option", (e.frame ? "★ " + e.frame_zh + " " + e.frame_en + " ▸ " : "") + e.id + " · " + e.zh + " · " + e.en + (e.unit ? " (" + e.unit + ")" : ""));
    o.value = e.id;
    options.push(o);
  }
  if (chosen && !entries.some((e) => e.id === chosen)) { const o = element("option", chosen + " (not in the codebook)"); o.value = chosen; options.push(o); }
  $("indicator-list").replaceChildren(...options);
  $("indicator-list").value = chosen;
}

function show(row) {
  if (!state.candidates.length) { $("raw-text").textContent = "the draft has no candidates"; return; }
  current = Math.max(0, Math.min(row, state.candidates.length - 1));
  const c = state.candidates[current], f = c.fields;
  if (c.document !== shownDocument) renderDocument(c.document);
  $("raw-text").textContent = f.raw_text || "";
  $("meta").textContent = [f.record_id, c.document, "kind " + (f.kind || ""), f.confidence ? "confidence " + f.confidence : "",
    c.start === null ? "not found in the document" : "offset " + c.start].filter(Boolean).join(" · ");
  $("quote").textContent = f.quote || "";
  $("decision").textContent = f.decision || "not reviewed";
  $("decision").className = "decision " + (f.decision || "");
  for (const input of document.querySelectorAll("[data-field]")) input.value = f[input.dataset.field] || "";
  $("indicator-search").value = "";
  fillIndicators("");
  markClasses();
  const mark = $("document").querySelector('mark[data-row="' + current + '"]');
  if (mark) mark.scrollIntoView({ block: "center" });
  const done = state.candidates.filter((x) => x.fields.decision).length;
  $("progress").textContent = (current + 1) + " / " + state.candidates.length + " · " + done + " reviewed";
  history.replaceState(null, "", "#" + current);
}

function editedFields() {
  const fields = { indicator_id: $("indicator-list").value || "" };
  for (const input of document.querySelectorAll("[data-field]")) fields[input.dataset.field] = input.value;
  return fields;
}

let queue = Promise.resolve();
function save(decision) {
  const row = current, body = { row: row, decision: decision, fields: editedFields() };
  queue = queue.then(async () => {
    try {
      const answer = await api("/api/decide", body);
      state.candidates[row].fields = answer.fields;
      saved("saved " + new Date().toLocaleTimeString());
      if (row === current) { $("decision").textContent = answer.fields.decision || "not reviewed"; $("decision").className = "decision " + (answer.fields.decision || ""); }
      markClasses();
      const done = state.candidates.filter((x) => x.fields.decision).length;
      $("progress").textContent = (current + 1) + " / " + state.candidates.length + " · " + done + " reviewed";
    } catch (error) { saved("NOT SAVED: " + error.message, true); }
  });
  return queue;
}
function decide(decision) { save(decision); show(current + 1 < state.candidates.length ? current + 1 : current); }

function nextUnreviewed() {
  const n = state.candidates.length;
  for (let step = 1; step <= n; step++) { const i = (current + step) % n; if (!state.candidates[i].fields.decision) return show(i); }
}

document.addEventListener("keydown", (event) => {
  const inField = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
  if (event.key === "Escape") { document.activeElement.blur(); return; }
  if (inField || event.ctrlKey || event.metaKey || event.altKey || !state) return;
  const actions = { a: () => decide("accepted"), r: () => decide("rejected"), u: () => save(""),
    j: () => show(current + 1), ArrowDown: () => show(current + 1), ArrowRight: () => show(current + 1),
    k: () => show(current - 1), ArrowUp: () => show(current - 1), ArrowLeft: () => show(current - 1),
    n: nextUnreviewed, "/": () => $("indicator-search").focus() };
  const action = actions[event.key];
  if (action) { event.preventDefault(); action(); }
});
$("indicator-search").addEventListener("input", (event) => fillIndicators(event.target.value));
$("indicator-search").addEventListener("keydown", (event) => {
  if (event.key === "Enter" || event.key === "ArrowDown") { event.preventDefault(); const list = $("indicator-list"); if (list.options.length > 1 && !list.value) list.selectedIndex = 1; list.focus(); }
});
$("indicator-list").addEventListener("change", () => save(null));
$("indicator-list").addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); save(null); event.target.blur(); } });
for (const input of document.querySelectorAll("[data-field]")) input.addEventListener("change", () => save(null));
$("accept").addEventListener("click", () => decide("accepted"));
$("reject").addEventListener("click", () => decide("rejected"));
$("next").addEventListener("click", () => show(current + 1));
$("previous").addEventListener("click", () => show(current - 1));

fillOptions($("scope_level"), LEVELS);
fillOptions($("status"), STATUSES);
api("/api/state").then((data) => {
  state = data;
  $("draft-name").textContent = data.draft;
  const fromHash = Number(location.hash.slice(1));
  const firstOpen = data.candidates.findIndex((c) => !c.fields.decision);
  show(location.hash && Number.isInteger(fromHash) ? fromHash : Math.max(firstOpen, 0));
  document.body.dataset.ready = "true";
}).catch((error) => saved("cannot load the draft: " + error.message, true));
</script>
</body>
</html>
"""


def render_page(nonce: str, font_face: str = "") -> str:
    """The page, its inline script and style carrying ``nonce`` (the CSP allows only these).

    ``font_face`` is the ``@font-face`` rule of the CJK font the server offers (none: the
    browser's own fonts draw the Chinese).

    Examples
    --------
    >>> render_page("n0").count('nonce="n0"')
    2
    >>> "@font-face" in render_page("n0", '@font-face { font-family: "Kexie CJK"; }')
    True
    """
    if not nonce.replace("-", "").replace("_", "").isalnum():
        raise ValueError("a nonce is URL-safe base64")
    if "<" in font_face:
        raise ValueError("a font-face rule holds no markup")
    return _PAGE.replace("__FONT_FACE__", font_face).replace("__NONCE__", nonce)
