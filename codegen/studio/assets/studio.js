// prisma-cpp studio: the page. It reads the schema (Prisma's DMMF) from /api/schema and speaks
// Prisma's JSON protocol to /api/query. Nothing from the database is put into the page as HTML:
// every value goes in through textContent or an input's value.
"use strict";

const PAGE = 50;
const S = {
  schema: null, version: -1, readOnly: false, counts: {},
  view: "data",          // data | schema | record | create
  model: null, rows: [], total: 0, skip: 0,
  orderBy: null,         // {field, dir}
  filters: {},           // field -> {op, value}
  search: "",
  scope: null,           // {where, label}: rows reached through a relation
  trail: [],             // earlier views, for "back"
  staged: new Map(),     // row index -> {field: value}
  errors: new Map(),     // "row:field" -> message
  selected: new Set(),   // row indexes
  record: null,          // the row the record view shows
};

// ---- helpers ------------------------------------------------------------------------------

const $ = (sel, root = document) => root.querySelector(sel);
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

class ApiError extends Error {
  constructor(code, message, meta) { super(message); this.code = code; this.meta = meta || {}; }
}

async function api(body) {
  let res;
  try {
    res = await fetch("/api/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (e) {
    throw new ApiError("NETWORK", "The Studio server cannot be reached: " + e.message);
  }
  let out;
  try { out = await res.json(); } catch (e) { throw new ApiError("HTTP", `The server answered ${res.status} without JSON`); }
  if (out.errors) {
    const u = out.errors[0].user_facing_error || {};
    throw new ApiError(u.error_code || "ERROR", u.message || out.errors[0].error, u.meta);
  }
  return out.data !== undefined ? Object.values(out.data)[0] : out;
}

function banner(message) {
  const b = $("#banner");
  if (!message) { b.hidden = true; b.textContent = ""; return; }
  b.hidden = false;
  b.textContent = message;
}

function describe(e) {
  if (e.code === "NETWORK" || e.code === "HTTP") return e.message;
  if (/^P1\d\d\d$/.test(e.code) || /connect|unable to open|server closed|no connection|terminat/i.test(e.message))
    return `The database cannot be reached (${e.code}): ${e.message}`;
  return `${e.code}: ${e.message}`;
}

function modelOf(name) { return S.schema.models.find((m) => m.name === name); }
function scalarFields(m) { return m.fields.filter((f) => f.kind !== "object"); }
function enumOf(name) { return S.schema.enums.find((e) => e.name === name); }

// The fields that name one row: the id, else the first unique.
function keyFields(m) {
  const id = m.fields.filter((f) => f.isId).map((f) => f.name);
  if (id.length) return id;
  if (m.primaryKey) return m.primaryKey.fields;
  const u = m.fields.find((f) => f.isUnique);
  if (u) return [u.name];
  return m.uniqueFields[0] || [];
}
function keyWhere(m, row) {
  const ks = keyFields(m);
  if (ks.length === 1) return { [ks[0]]: row[ks[0]] };
  const name = m.primaryKey && m.primaryKey.name ? m.primaryKey.name : ks.join("_");
  return { [name]: Object.fromEntries(ks.map((k) => [k, row[k]])) };
}
function keyText(m, row) { return keyFields(m).map((k) => show(row[k])).join(", "); }

// The other side of a relation field.
function backField(m, f) {
  const t = modelOf(f.type);
  return t.fields.find((g) => g.kind === "object" && g.relationName === f.relationName && !(t.name === m.name && g.name === f.name));
}

// A value as text: $type-tagged values unwrapped, Bytes as hex.
function show(v, type) {
  if (v === null || v === undefined) return null;
  if (typeof v === "object" && v.$type) {
    if (v.$type === "Bytes") return hexOfBase64(v.value);
    return String(v.value);
  }
  if (type === "Json" || typeof v === "object") return JSON.stringify(v);
  return String(v);
}
function hexOfBase64(b64) {
  const bin = atob(b64);
  let out = "";
  for (let i = 0; i < bin.length; i++) out += bin.charCodeAt(i).toString(16).padStart(2, "0");
  return out;
}
function base64OfHex(hex) {
  const clean = hex.replace(/\s+/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error("Bytes take hex digits, two per byte");
  let bin = "";
  for (let i = 0; i < clean.length; i += 2) bin += String.fromCharCode(parseInt(clean.slice(i, i + 2), 16));
  return btoa(bin);
}

// Text typed by the user as the field's protocol value. Throws with a message on bad input.
function parseValue(f, text) {
  const t = f.type;
  if (f.kind === "enum") return text;
  switch (t) {
    case "Int": {
      if (!/^-?\d+$/.test(text.trim())) throw new Error(`${f.name} takes a whole number (Int), not "${text}"`);
      return parseInt(text, 10);
    }
    case "BigInt":
      if (!/^-?\d+$/.test(text.trim())) throw new Error(`${f.name} takes a whole number (BigInt), not "${text}"`);
      return { $type: "BigInt", value: text.trim() };
    case "Float": {
      const n = Number(text);
      if (text.trim() === "" || Number.isNaN(n)) throw new Error(`${f.name} takes a number (Float), not "${text}"`);
      return n;
    }
    case "Decimal":
      if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw new Error(`${f.name} takes a decimal number, not "${text}"`);
      return { $type: "Decimal", value: text.trim() };
    case "Boolean":
      if (text !== "true" && text !== "false") throw new Error(`${f.name} takes true or false`);
      return text === "true";
    case "DateTime": {
      const d = new Date(/Z|[+-]\d\d:\d\d$/.test(text) ? text : text + "Z");
      if (Number.isNaN(d.getTime())) throw new Error(`${f.name} takes a date and time (2024-01-31T12:00:00Z), not "${text}"`);
      return { $type: "DateTime", value: d.toISOString() };
    }
    case "Json":
      try { return { $type: "Json", value: JSON.stringify(JSON.parse(text)) }; } catch (e) { throw new Error(`${f.name} takes JSON: ${e.message}`); }
    case "Bytes":
      return { $type: "Bytes", value: base64OfHex(text) };
    default:
      return text;
  }
}

// A filter's value: what the user typed, as the field's type when it reads as one; otherwise
// sent as typed, so the engine names the problem (a wrong type gets Prisma's P2009 message).
function filterValue(f, text) {
  try { return parseValue(f, text); } catch (e) { return text; }
}

// ---- the query of the current view ----------------------------------------------------------

function operatorsFor(f) {
  if (f.kind === "object") return f.isList ? ["", "some", "none"] : ["", "is set", "is null"];
  const base = ["", "equals", "not"];
  const nulls = f.isRequired ? [] : ["is null", "is not null"];
  if (f.kind === "enum" || f.type === "Boolean") return base.concat(nulls);
  if (f.type === "String") return base.concat(["contains", "startsWith", "endsWith", "in"], nulls);
  if (f.type === "Json" || f.type === "Bytes") return base.concat(nulls);
  return base.concat(["lt", "lte", "gt", "gte", "in"], nulls);
}

function currentWhere() {
  const m = modelOf(S.model);
  const and = [];
  if (S.scope) and.push(S.scope.where);
  for (const [name, { op, value }] of Object.entries(S.filters)) {
    if (!op) continue;
    const f = m.fields.find((x) => x.name === name);
    if (op === "is null") and.push({ [name]: f.kind === "object" ? { is: null } : null });
    else if (op === "is not null") and.push({ [name]: { not: null } });
    else if (op === "is set") and.push({ [name]: { isNot: null } });
    else if (op === "some") and.push({ [name]: { some: {} } });
    else if (op === "none") and.push({ [name]: { none: {} } });
    else if (op === "in") and.push({ [name]: { in: value.split(",").map((s) => filterValue(f, s.trim())) } });
    else if (op === "equals" || op === "not") and.push({ [name]: { [op]: filterValue(f, value) } });
    else {
      const c = { [op]: filterValue(f, value) };
      if (["contains", "startsWith", "endsWith"].includes(op) && S.schema.provider === "postgresql") c.mode = "insensitive";
      and.push({ [name]: c });
    }
  }
  if (S.search) {
    const strings = m.fields.filter((f) => f.kind === "scalar" && f.type === "String" && !f.isList);
    const or = strings.map((f) => ({ [f.name]: S.schema.provider === "postgresql" ? { contains: S.search, mode: "insensitive" } : { contains: S.search } }));
    and.push(or.length ? { OR: or } : { OR: [] });
  }
  return and.length ? { AND: and } : {};
}

function selection(m) {
  const sel = { $scalars: true };
  const lists = m.fields.filter((f) => f.kind === "object" && f.isList);
  if (lists.length) sel._count = { selection: Object.fromEntries(lists.map((f) => [f.name, true])) };
  // to-one relations whose key the other side holds: their key, to link to them
  for (const f of m.fields)
    if (f.kind === "object" && !f.isList && !(f.relationFromFields || []).length) {
      const t = modelOf(f.type);
      sel[f.name] = { selection: Object.fromEntries(keyFields(t).map((k) => [k, true])) };
    }
  return sel;
}

function orderBy() {
  const m = modelOf(S.model);
  const out = [];
  if (S.orderBy) out.push({ [S.orderBy.field]: S.orderBy.dir });
  for (const k of keyFields(m)) if (!S.orderBy || S.orderBy.field !== k) out.push({ [k]: "asc" });
  return out;
}

async function loadRows() {
  const m = modelOf(S.model);
  const where = currentWhere();
  const [rows, count] = await Promise.all([
    api({ modelName: m.name, action: "findMany", query: { arguments: { where, orderBy: orderBy(), skip: S.skip, take: PAGE }, selection: selection(m) } }),
    api({ modelName: m.name, action: "aggregate", query: { arguments: { where }, selection: { _count: { selection: { _all: true } } } } }),
  ]);
  S.rows = rows;
  S.total = count._count._all;
}

async function loadCounts() {
  const batch = S.schema.models.map((m) => ({ modelName: m.name, action: "aggregate", query: { arguments: {}, selection: { _count: { selection: { _all: true } } } } }));
  try {
    const res = await fetch("/api/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ batch }) });
    const out = await res.json();
    if (out.errors) throw new ApiError(out.errors[0].user_facing_error.error_code, out.errors[0].user_facing_error.message);
    out.batchResult.forEach((r, i) => { S.counts[S.schema.models[i].name] = Object.values(r.data)[0]._count._all; });
  } catch (e) {
    banner(describe(e));
  }
}

// ---- rendering: the model list ----------------------------------------------------------------

function renderModels() {
  const nav = $("#models");
  nav.replaceChildren();
  for (const m of S.schema.models) {
    nav.append(el("a", { class: m.name === S.model && S.view !== "schema" ? "active" : "", dataset: { model: m.name },
                         onclick: () => openModel(m.name) },
                  el("span", { text: m.name }), el("span", { class: "count", text: S.counts[m.name] ?? "" })));
  }
}

async function openModel(name, scope = null, keepTrail = false) {
  if (!keepTrail) S.trail = [];
  Object.assign(S, { view: "data", model: name, skip: 0, orderBy: null, filters: {}, search: "", scope,
                     staged: new Map(), errors: new Map(), selected: new Set() });
  await refresh();
}

async function refresh() {
  renderModels();
  $("#tab-data").classList.toggle("active", S.view !== "schema");
  $("#tab-schema").classList.toggle("active", S.view === "schema");
  if (S.view === "schema") return renderSchema();
  if (!S.model) {
    $("#view").replaceChildren(el("p", { class: "pager", text: "Pick a model on the left." }));
    return;
  }
  if (S.view === "record") return renderRecord();
  if (S.view === "create") return renderCreate();
  try {
    await loadRows();
    banner(null);
  } catch (e) {
    S.rows = [];
    S.total = 0;
    S.loadError = e;
  }
  renderTable();
}

// ---- rendering: the table ---------------------------------------------------------------------

function renderTable() {
  const m = modelOf(S.model);
  const view = $("#view");
  const bar = el("div", { class: "toolbar" });
  if (S.trail.length) bar.append(el("button", { id: "back", type: "button", text: "← Back", onclick: goBack }));
  bar.append(el("h2", { text: m.name }));
  if (S.scope) bar.append(el("span", { class: "chip", id: "scope" }, S.scope.label,
                               el("button", { type: "button", title: "Show every row", text: "✕", onclick: () => openModel(S.model) })));
  const search = el("input", { type: "search", id: "search", placeholder: "Search text fields", value: S.search });
  search.addEventListener("change", () => { S.search = search.value; S.skip = 0; refresh(); });
  bar.append(search);
  if (!S.readOnly) {
    bar.append(el("button", { id: "add", type: "button", text: "+ Add record", onclick: () => { S.view = "create"; refresh(); } }));
    const n = [...S.staged.values()].reduce((a, o) => a + Object.keys(o).length, 0);
    bar.append(el("button", { id: "save", type: "button", class: "primary", disabled: n === 0, text: n ? `Save ${n} change${n > 1 ? "s" : ""}` : "Save", onclick: save }));
    bar.append(el("button", { id: "discard", type: "button", disabled: n === 0, text: "Discard", onclick: () => { S.staged.clear(); S.errors.clear(); renderTable(); } }));
    bar.append(el("button", { id: "delete", type: "button", class: S.selected.size ? "danger" : "", disabled: S.selected.size === 0,
                              text: `Delete${S.selected.size ? " " + S.selected.size : ""}`, onclick: removeSelected }));
  }
  bar.append(el("button", { id: "export-csv", type: "button", text: "CSV", title: "Export the current view as CSV", onclick: () => exportView("csv") }));
  bar.append(el("button", { id: "export-json", type: "button", text: "JSON", title: "Export the current view as JSON", onclick: () => exportView("json") }));
  const last = Math.min(S.skip + PAGE, S.total);
  bar.append(el("span", { class: "pager", id: "pager", text: S.total ? `${S.skip + 1}–${last} of ${S.total}` : "no rows" }));
  bar.append(el("button", { type: "button", id: "prev", text: "‹", disabled: S.skip === 0, onclick: () => { S.skip = Math.max(0, S.skip - PAGE); refresh(); } }));
  bar.append(el("button", { type: "button", id: "next", text: "›", disabled: last >= S.total, onclick: () => { S.skip += PAGE; refresh(); } }));

  const table = el("table", { class: "grid", id: "grid" });
  const head = el("tr");
  const filters = el("tr", { class: "filters" });
  head.append(el("th", {}, S.readOnly ? "" : el("input", { type: "checkbox", title: "Select the page", onchange: (e) => {
    S.selected = e.target.checked ? new Set(S.rows.map((_, i) => i)) : new Set();
    renderTable();
  } })));
  filters.append(el("th"));
  for (const f of m.fields) {
    const sortable = f.kind !== "object" && f.type !== "Json" && f.type !== "Bytes";
    const arrow = S.orderBy && S.orderBy.field === f.name ? (S.orderBy.dir === "asc" ? " ▲" : " ▼") : "";
    head.append(el("th", { class: sortable ? "sortable" : "", dataset: { sort: f.name }, onclick: sortable ? () => sortBy(f.name) : null },
                   f.name + arrow, el("span", { class: "type", text: f.type + (f.isList ? "[]" : "") + (f.isRequired || f.isList ? "" : "?") })));
    filters.append(el("th", {}, filterCell(f)));
  }
  table.append(el("thead", {}, head, filters));
  const body = el("tbody");
  S.rows.forEach((row, i) => body.append(renderRow(m, row, i)));
  table.append(body);
  const parts = [bar];
  if (S.loadError) {
    parts.push(el("p", { class: "field-error", id: "load-error", text: describe(S.loadError) }));
    if (S.loadError.code === "NETWORK" || /reach/.test(describe(S.loadError))) banner(describe(S.loadError));
    S.loadError = null;
  }
  parts.push(table);
  view.replaceChildren(...parts);
  document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
}

function filterCell(f) {
  const cur = S.filters[f.name] || { op: "", value: "" };
  const op = el("select", { dataset: { filterOp: f.name } }, operatorsFor(f).map((o) => el("option", { value: o, text: o || "—", selected: o === cur.op })));
  const needsValue = (o) => o && !["is null", "is not null", "is set", "some", "none"].includes(o);
  let value;
  if (f.kind === "enum") value = el("select", { dataset: { filterValue: f.name } }, el("option", { value: "" }), enumOf(f.type).values.map((v) => el("option", { value: v.name, text: v.name, selected: v.name === cur.value })));
  else if (f.type === "Boolean") value = el("select", { dataset: { filterValue: f.name } }, ["", "true", "false"].map((v) => el("option", { value: v, text: v, selected: v === cur.value })));
  else value = el("input", { dataset: { filterValue: f.name }, value: cur.value, placeholder: f.type === "DateTime" ? "2024-01-31T00:00" : "" });
  value.hidden = !needsValue(cur.op);
  const apply = () => {
    value.hidden = !needsValue(op.value);
    if (needsValue(op.value) && value.value === "") return;
    S.filters[f.name] = { op: op.value, value: value.value };
    S.skip = 0;
    refresh();
  };
  op.addEventListener("change", apply);
  value.addEventListener("change", apply);
  return el("span", {}, op, " ", value);
}

function sortBy(field) {
  S.orderBy = S.orderBy && S.orderBy.field === field ? { field, dir: S.orderBy.dir === "asc" ? "desc" : "asc" } : { field, dir: "asc" };
  S.skip = 0;
  refresh();
}

function renderRow(m, row, i) {
  const tr = el("tr", { dataset: { row: i } });
  tr.append(el("td", {}, S.readOnly ? "" : el("input", { type: "checkbox", checked: S.selected.has(i), onchange: (e) => {
    if (e.target.checked) S.selected.add(i); else S.selected.delete(i);
    renderTable();
  } }), " ", el("a", { class: "open", title: "Open the record", text: "↗", onclick: () => { S.trail.push(snapshot()); S.view = "record"; S.record = row; refresh(); } })));
  for (const f of m.fields) tr.append(renderCell(m, row, i, f));
  return tr;
}

function renderCell(m, row, i, f) {
  const td = el("td", { dataset: { field: f.name, row: i } });
  if (f.kind === "object") {
    td.append(relationLink(m, row, f));
    return td;
  }
  const staged = S.staged.get(i);
  const has = staged && f.name in staged;
  const v = has ? staged[f.name] : row[f.name];
  const text = show(v, f.type);
  if (text === null) td.append(el("span", { class: "null", text: "null" }));
  else td.textContent = text;
  td.title = text ?? "null";
  if (has) td.classList.add("staged");
  const err = S.errors.get(`${i}:${f.name}`);
  if (err) {
    td.classList.add("has-error");
    td.append(el("span", { class: "field-error", text: err }));
  }
  if (!S.readOnly && !f.isUpdatedAt) td.addEventListener("dblclick", () => editCell(td, m, row, i, f));
  return td;
}

function relationLink(m, row, f) {
  const t = modelOf(f.type);
  const back = backField(m, f);
  if (!back) return el("span", { class: "null", text: f.type });
  const where = {};
  const mine = keyWhere(m, row);
  where[back.name] = back.isList ? { some: mine } : { is: mine };
  let label;
  if (f.isList) {
    const n = row._count ? row._count[f.name] : undefined;
    label = `${n ?? ""} ${f.name} →`.trim();
  } else if ((f.relationFromFields || []).length) {
    const vals = f.relationFromFields.map((k) => row[k]);
    if (vals.some((x) => x === null)) return el("span", { class: "null", text: "null" });
    label = `${t.name} ${vals.map((x) => show(x)).join(", ")} →`;
  } else {
    const rel = row[f.name];
    if (!rel) return el("span", { class: "null", text: "null" });
    label = `${t.name} ${keyText(t, rel)} →`;
  }
  return el("a", { class: "relation", dataset: { relation: f.name }, text: label, onclick: () => {
    S.trail.push(snapshot());
    openModel(t.name, { where, label: `${f.name} of ${m.name} ${keyText(m, row)}` }, true);
  } });
}

function snapshot() {
  return { view: S.view, model: S.model, skip: S.skip, orderBy: S.orderBy, filters: { ...S.filters }, search: S.search, scope: S.scope, record: S.record };
}
function goBack() {
  const prev = S.trail.pop();
  if (!prev) return;
  Object.assign(S, prev, { staged: new Map(), errors: new Map(), selected: new Set() });
  refresh();
}

// ---- editing ----------------------------------------------------------------------------------

function editorFor(f, current) {
  const text = show(current, f.type);
  let input;
  if (f.kind === "enum") {
    input = el("select", { class: "editor" }, enumOf(f.type).values.map((v) => el("option", { value: v.name, text: v.name, selected: v.name === current })));
  } else if (f.type === "Boolean") {
    input = el("select", { class: "editor" }, ["true", "false"].map((v) => el("option", { value: v, text: v, selected: String(current) === v })));
  } else if (f.type === "Json") {
    input = el("textarea", { class: "editor" });
    input.value = text === null ? "" : JSON.stringify(JSON.parse(text), null, 2);
  } else if (f.type === "DateTime") {
    input = el("input", { class: "editor", type: "datetime-local", step: "0.001" });
    if (text) input.value = text.replace(/Z$/, "").slice(0, 23);
  } else {
    input = el("input", { class: "editor", value: text ?? "", placeholder: f.type === "Bytes" ? "hex: 00ff10" : "" });
  }
  input.dataset.editor = f.name;
  return input;
}

function editCell(td, m, row, i, f) {
  if (td.querySelector(".editor")) return;
  const staged = S.staged.get(i) || {};
  const current = f.name in staged ? staged[f.name] : row[f.name];
  const input = editorFor(f, current);
  const done = (commit) => {
    if (commit) {
      try {
        const v = parseValue(f, input.value);
        const o = S.staged.get(i) || {};
        if (JSON.stringify(v) === JSON.stringify(row[f.name])) delete o[f.name]; else o[f.name] = v;
        if (Object.keys(o).length) S.staged.set(i, o); else S.staged.delete(i);
        S.errors.delete(`${i}:${f.name}`);
      } catch (e) {
        S.errors.set(`${i}:${f.name}`, e.message);
      }
    }
    renderTable();
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && input.tagName !== "TEXTAREA") done(true);
    if (e.key === "Escape") done(false);
  });
  input.addEventListener("blur", () => done(true));
  const tools = [];
  if (!f.isRequired) tools.push(el("button", { type: "button", text: "null", title: "Set to null", onmousedown: (e) => {
    e.preventDefault();
    const o = S.staged.get(i) || {};
    o[f.name] = null;
    S.staged.set(i, o);
    renderTable();
  } }));
  td.replaceChildren(input, ...tools);
  input.focus();
}

// Puts a Prisma error next to the fields it names (P2002's target, P2003's field, P2011's
// constraint), else next to the row's staged cells, and in the banner.
function placeError(e, rowIndex, fields) {
  let named = [];
  const meta = e.meta || {};
  if (Array.isArray(meta.target)) named = meta.target;
  else if (typeof meta.target === "string") named = [meta.target];
  if (meta.field_name) named.push(String(meta.field_name).replace(/^.*\./, "").replace(/_fkey$/, ""));
  if (meta.constraint) named = named.concat(Array.isArray(meta.constraint) ? meta.constraint : [meta.constraint]);
  let target = fields.filter((f) => named.includes(f));
  if (!target.length) target = fields;
  const message = `${e.code}: ${e.message}`;
  for (const f of target) S.errors.set(`${rowIndex}:${f}`, message);
  return message;
}

async function save() {
  const m = modelOf(S.model);
  const entries = [...S.staged.entries()];
  if (!entries.length) return;
  S.errors.clear();
  const batch = entries.map(([i, data]) => ({ modelName: m.name, action: "updateOne", query: { arguments: { where: keyWhere(m, S.rows[i]), data }, selection: { $scalars: true } } }));
  try {
    await api({ batch, transaction: {} });
  } catch (e) {
    if (/reached/.test(describe(e)) || e.code === "READ_ONLY") {
      banner(e.code === "READ_ONLY" ? e.message : `Nothing was saved: ${describe(e)}`);
      renderTable();
      return;
    }
    const idx = e.meta && e.meta.batch_request_idx !== undefined ? e.meta.batch_request_idx : 0;
    const [rowIndex, data] = entries[Math.min(idx, entries.length - 1)];
    let msg = placeError(e, rowIndex, Object.keys(data));
    if (e.code === "P2025") msg = `P2025: the row ${keyText(m, S.rows[rowIndex])} was changed or deleted by someone else; nothing was saved. ${e.message}`;
    banner(`Nothing was saved: ${msg}`);
    renderTable();
    return;
  }
  S.staged.clear();
  banner(null);
  await loadCounts();
  await refresh();
}

async function removeSelected() {
  const m = modelOf(S.model);
  const rows = [...S.selected].map((i) => S.rows[i]);
  $("#confirm-text").textContent = `Delete ${rows.length} ${m.name} record${rows.length > 1 ? "s" : ""}? This cannot be undone.`;
  const dialog = $("#confirm");
  dialog.returnValue = "";
  dialog.showModal();
  await new Promise((resolve) => dialog.addEventListener("close", resolve, { once: true }));
  if (dialog.returnValue !== "ok") return;
  const batch = rows.map((r) => ({ modelName: m.name, action: "deleteOne", query: { arguments: { where: keyWhere(m, r) }, selection: { $scalars: true } } }));
  try {
    await api({ batch, transaction: {} });
    banner(null);
  } catch (e) {
    banner(`Nothing was deleted: ${describe(e)}`);
    return;
  }
  S.selected.clear();
  await loadCounts();
  await refresh();
}

// ---- record and create views -------------------------------------------------------------------

function renderRecord() {
  const m = modelOf(S.model);
  const row = S.record;
  const dl = el("dl");
  for (const f of m.fields) {
    dl.append(el("dt", { text: f.name }));
    if (f.kind === "object") dl.append(el("dd", {}, relationLink(m, row, f)));
    else {
      const t = show(row[f.name], f.type);
      dl.append(el("dd", { dataset: { field: f.name } }, t === null ? el("span", { class: "null", text: "null" }) : t));
    }
  }
  $("#view").replaceChildren(el("div", { class: "record", id: "record" },
    el("div", { class: "toolbar" }, el("button", { id: "back", type: "button", text: "← Back", onclick: goBack }), el("h2", { text: `${m.name} ${keyText(m, row)}` })), dl));
}

function renderCreate() {
  const m = modelOf(S.model);
  const form = el("form", { id: "create" });
  const inputs = {};
  for (const f of scalarFields(m)) {
    if (f.isUpdatedAt) continue;
    const input = editorFor(f, null);
    if (f.kind === "enum" || f.type === "Boolean") input.prepend(el("option", { value: "", text: "(default)", selected: true }));
    inputs[f.name] = input;
    const hint = f.isRequired && !f.hasDefaultValue ? "required" : f.hasDefaultValue ? "default" : "optional";
    form.append(el("div", { class: "form-row" }, el("label", { text: `${f.name} (${f.type}, ${hint})` }), el("div", { dataset: { formField: f.name } }, input)));
  }
  const submit = async (ev) => {
    ev.preventDefault();
    for (const x of form.querySelectorAll(".field-error")) x.remove();
    const data = {};
    let bad = false;
    for (const [name, input] of Object.entries(inputs)) {
      if (input.value === "") continue;
      const f = m.fields.find((x) => x.name === name);
      try { data[name] = parseValue(f, input.value); } catch (e) {
        bad = true;
        input.parentElement.append(el("span", { class: "field-error", text: e.message }));
      }
    }
    if (bad) return;
    try {
      await api({ modelName: m.name, action: "createOne", query: { arguments: { data }, selection: { $scalars: true } } });
    } catch (e) {
      const meta = e.meta || {};
      let named = Array.isArray(meta.target) ? meta.target : meta.field_name ? [String(meta.field_name)] : [];
      named = named.filter((n) => inputs[n]);
      const where = named.length ? named : [Object.keys(inputs)[0]];
      for (const n of where) inputs[n].parentElement.append(el("span", { class: "field-error", text: `${e.code}: ${e.message}` }));
      return;
    }
    await loadCounts();
    S.view = "data";
    refresh();
  };
  form.addEventListener("submit", submit);
  form.append(el("div", { class: "toolbar" }, el("button", { type: "submit", class: "primary", id: "create-save", text: "Create" }),
                 el("button", { type: "button", text: "Cancel", onclick: () => { S.view = "data"; refresh(); } })));
  $("#view").replaceChildren(el("div", { class: "record" }, el("h2", { text: `New ${m.name}` }), form));
}

// ---- export -------------------------------------------------------------------------------------

async function exportView(kind) {
  const m = modelOf(S.model);
  let rows;
  try {
    rows = await api({ modelName: m.name, action: "findMany", query: { arguments: { where: currentWhere(), orderBy: orderBy() }, selection: { $scalars: true } } });
  } catch (e) {
    banner(describe(e));
    return;
  }
  const fields = scalarFields(m);
  let blob;
  if (kind === "json") {
    const plain = rows.map((r) => Object.fromEntries(fields.map((f) => [f.name, r[f.name] && r[f.name].$type ? (r[f.name].$type === "Json" ? JSON.parse(r[f.name].value) : show(r[f.name], f.type)) : r[f.name]])));
    blob = new Blob([JSON.stringify(plain, null, 2)], { type: "application/json" });
  } else {
    const cell = (v) => {
      if (v === null) return "";
      const s = String(v);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = [fields.map((f) => cell(f.name)).join(",")];
    for (const r of rows) lines.push(fields.map((f) => cell(show(r[f.name], f.type))).join(","));
    blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv" });
  }
  const a = el("a", { href: URL.createObjectURL(blob), download: `${m.name}.${kind}` });
  document.body.append(a);
  a.click();
  a.remove();
}

// ---- the schema view ---------------------------------------------------------------------------

function attributes(m, f) {
  const out = [];
  if (f.isId) out.push("@id");
  if (f.isUnique) out.push("@unique");
  if (f.default !== undefined) {
    const d = f.default;
    const text = d && typeof d === "object" && d.name ? `${d.name}(${(d.args || []).join(", ")})`
               : f.kind === "enum" ? String(d) : JSON.stringify(d);
    out.push(`@default(${text})`);
  }
  if (f.isUpdatedAt) out.push("@updatedAt");
  if (f.kind === "object" && (f.relationFromFields || []).length)
    out.push(`@relation(fields: [${f.relationFromFields.join(", ")}], references: [${f.relationToFields.join(", ")}])`);
  else if (f.kind === "object") out.push(`@relation("${f.relationName}")`);
  return out.join(" ");
}

function renderSchema() {
  const parts = [el("div", { class: "toolbar" }, el("h2", { text: "Schema" }))];
  parts.push(diagram());
  for (const m of S.schema.models) {
    const table = el("table");
    for (const f of m.fields)
      table.append(el("tr", {}, el("td", { text: f.name }), el("td", { text: f.type + (f.isList ? "[]" : f.isRequired ? "" : "?") }), el("td", { class: "attr", text: attributes(m, f) })));
    const extra = [];
    if (m.primaryKey) extra.push(`@@id([${m.primaryKey.fields.join(", ")}])`);
    for (const u of m.uniqueFields) extra.push(`@@unique([${u.join(", ")}])`);
    if (extra.length) table.append(el("tr", {}, el("td", { class: "attr", colspan: 3, text: extra.join("  ") })));
    parts.push(el("section", { class: "schema-model", dataset: { schemaModel: m.name } }, el("h3", { text: `model ${m.name}` }), table));
  }
  for (const e of S.schema.enums)
    parts.push(el("section", { class: "schema-model" }, el("h3", { text: `enum ${e.name}` }),
                  el("table", {}, e.values.map((v) => el("tr", {}, el("td", { text: v.name }), el("td", { class: "attr", text: v.dbName ? `@map("${v.dbName}")` : "" }))))));
  $("#view").replaceChildren(...parts);
}

// Models as boxes in a grid, relations as lines between them (one per relation), labelled.
function diagram() {
  const ns = "http://www.w3.org/2000/svg";
  const svgEl = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const models = S.schema.models;
  const cols = Math.max(1, Math.ceil(Math.sqrt(models.length)));
  const w = 190, gapX = 90, gapY = 60, line = 16;
  const heights = models.map((m) => 26 + m.fields.length * line + 8);
  const rowH = [];
  models.forEach((m, i) => { const r = Math.floor(i / cols); rowH[r] = Math.max(rowH[r] || 0, heights[i]); });
  const pos = {};
  let y = 20;
  rowH.forEach((h, r) => {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (i < models.length) pos[models[i].name] = { x: 20 + c * (w + gapX), y, h: heights[i] };
    }
    y += h + gapY;
  });
  const width = 20 + cols * (w + gapX), height = y;
  const svg = svgEl("svg", { id: "diagram", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "Relations between the models" });
  const seen = new Set();
  const labels = [];
  for (const m of models)
    for (const f of m.fields) {
      if (f.kind !== "object" || seen.has(f.relationName + "/" + [m.name, f.type].sort().join())) continue;
      seen.add(f.relationName + "/" + [m.name, f.type].sort().join());
      const a = pos[m.name], b = pos[f.type];
      if (!a || !b) continue;
      const ax = a.x + w / 2, ay = a.y + a.h / 2, bx = b.x + w / 2, by = b.y + b.h / 2;
      if (m.name === f.type) {
        svg.append(svgEl("path", { d: `M ${a.x + w} ${a.y + 14} C ${a.x + w + 50} ${a.y - 10}, ${a.x + w + 50} ${a.y + 50}, ${a.x + w} ${a.y + 30}`, class: "rel" }));
      } else {
        svg.append(svgEl("line", { x1: ax, y1: ay, x2: bx, y2: by, class: "rel" }));
        const back = backField(m, f);
        const kind = f.isList && back && back.isList ? "m:n" : f.isList || (back && back.isList) ? "1:n" : "1:1";
        labels.push(svgEl("text", { x: (ax + bx) / 2 + 4, y: (ay + by) / 2 - 4, class: "label" }, `${f.relationName} (${kind})`));
      }
    }
  for (const m of models) {
    const p = pos[m.name];
    const g = svgEl("g", { "data-diagram-model": m.name });
    g.append(svgEl("rect", { x: p.x, y: p.y, width: w, height: p.h, rx: 6, class: "box" }));
    g.append(svgEl("text", { x: p.x + 8, y: p.y + 17, class: "title" }, m.name));
    m.fields.forEach((f, i) => g.append(svgEl("text", { x: p.x + 8, y: p.y + 36 + i * line }, `${f.name}: ${f.type}${f.isList ? "[]" : f.isRequired ? "" : "?"}`)));
    svg.append(g);
  }
  for (const l of labels) svg.append(l);  // over the boxes
  return svg;
}

// ---- start, theme, schema reloads ---------------------------------------------------------------

async function loadSchema() {
  const res = await fetch("/api/schema");
  if (res.status === 401) { location.reload(); return; }
  const s = await res.json();
  S.schema = { ...s.datamodel, provider: s.provider };
  S.version = s.version;
  S.readOnly = s.readOnly;
  $("#readonly").hidden = !S.readOnly;
  if (S.model && !modelOf(S.model)) { S.model = null; S.trail = []; }
  banner(s.error || null);
}

function setTheme(theme) {
  document.documentElement.dataset.theme = theme;
  $("#theme").textContent = theme === "dark" ? "Light" : "Dark";
  try { localStorage.setItem("prisma-studio-theme", theme); } catch (e) { /* private mode */ }
}

async function watchSchema() {
  try {
    const res = await fetch("/api/version");
    const v = await res.json();
    if (v.version !== S.version) {
      await loadSchema();
      await loadCounts();
      if (S.view !== "record" && S.view !== "create" && !S.staged.size) await refresh(); else renderModels();
    } else if (v.error) {
      banner(v.error);
    }
  } catch (e) {
    banner("The Studio server cannot be reached: " + e.message);
  }
  setTimeout(watchSchema, 2000);
}

window.studioSetTheme = setTheme;

async function start() {
  let theme = null;
  try { theme = localStorage.getItem("prisma-studio-theme"); } catch (e) { /* private mode */ }
  setTheme(theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
  $("#theme").addEventListener("click", () => setTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark"));
  $("#signout").addEventListener("click", async () => {
    // the server forgets the session; the page then shows that a new link is needed
    await fetch("/api/logout", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    location.replace("/");
  });
  $("#tab-data").addEventListener("click", () => { S.view = "data"; refresh(); });
  $("#tab-schema").addEventListener("click", () => { S.view = "schema"; refresh(); });
  await loadSchema();
  await loadCounts();
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash && modelOf(hash)) await openModel(hash);
  else await refresh();
  setTimeout(watchSchema, 2000);
  document.body.dataset.ready = "true";
}

start();
