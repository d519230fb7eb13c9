// Shared helpers for the storyline pages.
//
// Everything that comes from articles (titles, text, names, quotes) is untrusted: it is only ever
// inserted with textContent / createTextNode or set with setAttribute on attributes that cannot run
// code. No innerHTML anywhere. The pages also carry a Content-Security-Policy that forbids inline
// scripts, as a second line of defence.

export const PLOVER_TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
];

// The four quad classes, in the order of the legend, with the colour of their edges and badges.
export const QUADS = [
  { name: "verbal cooperation", color: "#3b82c4", types: ["AGREE", "CONSULT", "SUPPORT", "CONCEDE"] },
  { name: "material cooperation", color: "#2e9d5b", types: ["COOPERATE", "AID", "RETREAT"] },
  { name: "verbal conflict", color: "#e08a1e", types: ["REQUEST", "ACCUSE", "REJECT", "THREATEN"] },
  { name: "material conflict", color: "#c8333a",
    types: ["PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"] },
];

export function quadOf(type) {
  return QUADS.find((q) => q.types.includes(String(type || "").toUpperCase())) || null;
}

/**
 * Build an element: h("a", {href: "/x", class: "c"}, "text", child, [more]).
 * Strings become text nodes; functions under "on..." keys become event listeners. Attribute
 * names are always literals in this code; values go through setAttribute, which never parses
 * markup. URLs from articles must pass safeUrl() first.
 */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) {
      if (typeof value !== "function") throw new Error(`handler ${key} must be a function`);
      node.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      node.className = value;
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace a node's content with the given children. */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** Only http(s) URLs become links; anything else (javascript:, data:, ...) is shown as text. */
export function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(String(value), window.location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** GET a JSON API path; throws an Error carrying the API's message on failure. */
export async function api(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    const error = new Error(`${response.status}: ${message}`);
    error.status = response.status;
    error.detail = message;
    throw error;
  }
  return body;
}

/** Every page of a paged list ({"items", "next"}), up to `cap` items. */
export async function apiAll(path, params, cap = 2000) {
  const items = [];
  let next = null;
  do {
    const page = await api(path, { ...params, limit: 500, next });
    items.push(...page.items);
    next = page.next;
  } while (next && items.length < cap);
  return items.slice(0, cap);
}

export const articleHref = (id, hash) =>
  `/articles/${encodeURIComponent(id)}${hash ? `#${encodeURIComponent(hash)}` : ""}`;
export const storyHref = (id) => `/stories/${encodeURIComponent(id)}`;

// Article titles by id, for citations. The API has no batch lookup, so the article list is read
// once (a few pages at most) and kept; ids not found there are shown as ids.
let titleCache = null;
export async function articleTitles() {
  if (!titleCache) {
    titleCache = apiAll("/api/articles", {}, 2000).then(
      (rows) => new Map(rows.map((r) => [r.id, r])),
      () => new Map(),
    );
  }
  return titleCache;
}

/** The title of an article row, or a stand-in naming its outlet or id. */
export function articleName(row, id) {
  if (row && row.title) return row.title;
  return `untitled article ${row && row.source ? `from ${row.source} ` : ""}(${id || (row && row.id)})`;
}

export function articleLink(id, articles, hash) {
  const row = articles && articles.get(id);
  return h("a", { href: articleHref(id, hash), class: "article-link", "data-article": id }, articleName(row, id));
}

/** "2014-05-20", "2014-05", "2014-05-16 – 2014-05-17", or "undated"; method as a tooltip. */
export function dateLabel(date) {
  const value = date && date.value;
  if (!value) return "undated";
  return String(value).replace("/", " – ");
}

export function dateNode(date) {
  const parts = [];
  if (date && date.granularity) parts.push(date.granularity);
  if (date && date.method) parts.push(`resolved by ${date.method}`);
  if (date && date.original && date.original !== date.value) parts.push(`said as ${date.original}`);
  // Each end of a range stays on one line; the range may wrap between them.
  const ends = dateLabel(date).split(" – ").map((end) => h("span", { class: "nowrap" }, end));
  return h("span", { class: "date", title: parts.join("; ") || null },
    ends.map((end, i) => [i ? " – " : "", end]));
}

/** "Vladimir Putin (RUS GOV)" for an actor dict from the API. */
export function actorLabel(actor) {
  if (!actor) return "";
  const codes = [actor.country, actor.sector].filter(Boolean).join(" ");
  const name = String(actor.name || "?");
  return codes && codes !== name ? `${name} (${codes})` : name;
}

export const actorsLabel = (actors) => (actors || []).map(actorLabel).join("; ");

/** "Suwon (KOR) 37.29, 127.01" for an event's place: the name, its country, and its point when
 *  the gazetteer resolved one (title: the kind of place and how it was chosen). */
export function placeNode(place) {
  if (!place || !place.name) return "";
  const name = place.country ? `${place.name} (${place.country})` : String(place.name);
  const point = typeof place.lat === "number" && typeof place.lon === "number"
    ? h("span", { class: "muted coords" }, ` ${place.lat.toFixed(2)}, ${place.lon.toFixed(2)}`)
    : null;
  const how = [place.kind, place.method === "article" ? "from the article" : null]
    .filter(Boolean).join(", ");
  return h("span", { class: "place", title: how || null }, name, point);
}

export function typeBadge(type) {
  const quad = quadOf(type);
  return h("span", {
    class: "badge",
    style: quad ? `background:${quad.color}` : null,
    title: quad ? quad.name : null,
  }, type || "?");
}

export function showError(container, error) {
  // 422: the request itself is wrong (a filter the user typed): say what to fix
  const text = error && error.status === 422
    ? `Check the filters: ${error.detail}.`
    : `Could not load: ${(error && error.message) || error}`;
  fill(container, h("p", { class: "error", role: "alert" }, text));
}

export function setTitle(text) {
  document.title = text ? `${text} · storyline` : "storyline";
}

/** A <dl> of label/value pairs, skipping empty values. */
export function details(pairs) {
  const list = h("dl", { class: "kv" });
  for (const [label, value] of pairs) {
    if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && !value.length)) continue;
    append(list, [h("dt", null, label), h("dd", null, value)]);
  }
  return list;
}

// The nav search box is a plain GET form to "/?q=..."; nothing to wire here.
