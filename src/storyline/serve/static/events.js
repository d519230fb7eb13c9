// The event table: filters (kept in the URL), paged loading, and a CSV download of the rows shown.

import {
  PLOVER_TYPES, actorsLabel, api, articleHref, articleName, articleTitles, dateNode, fill, h,
  placeNode, showError, typeBadge,
} from "./app.js";

const main = document.getElementById("main");
const FILTERS = ["actor", "recipient", "type", "since", "until"];
const PAGE = 100;

let rows = [];
let next = null;
let articles = new Map();

function field(name, label, placeholder, value) {
  return h("label", null, label, h("input", { name, placeholder, value: value || "", size: 12 }));
}

function typeSelect(value) {
  const select = h("select", { name: "type" }, h("option", { value: "" }, "any type"));
  for (const type of PLOVER_TYPES) {
    select.append(h("option", { value: type, selected: type === value }, type));
  }
  return h("label", null, "Type", select);
}

/** The sentence with its trigger word in bold. */
function sentenceCell(event) {
  const text = event.sentence || "";
  const a = event.trigger_start - event.char_start;
  const b = event.trigger_end - event.char_start;
  if (!(a >= 0 && b > a && b <= text.length)) return h("td", { class: "sentence" }, text);
  return h("td", { class: "sentence" }, text.slice(0, a), h("b", null, text.slice(a, b)), text.slice(b));
}

function eventRow(event) {
  const article = articles.get(event.article_id);
  return h("tr", { "data-event": event.id },
    h("td", { class: "when" }, dateNode(event.date)),
    h("td", null, typeBadge(event.type), event.mode ? h("div", { class: "muted" }, event.mode) : null),
    h("td", null, actorsLabel(event.actors)),
    h("td", null, actorsLabel(event.recipients)),
    h("td", null, event.modality || ""),
    h("td", { class: "where" }, placeNode(event.place)),
    sentenceCell(event),
    h("td", { class: "source" }, h("a", { href: articleHref(event.article_id, `event-${event.id}`) },
      articleName(article, event.article_id))),
  );
}

// CSV: every field quoted, quotes doubled; text that a spreadsheet would read as a formula gets a
// leading apostrophe (the article text is untrusted there too).
function csvField(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

function toCsv(events) {
  const header = ["id", "date", "granularity", "type", "mode", "actors", "recipients", "modality",
    "place", "place_country", "lat", "lon", "geonameid", "trigger", "sentence", "article_id",
    "article_title"];
  const lines = [header.map(csvField).join(",")];
  for (const e of events) {
    const article = articles.get(e.article_id);
    lines.push([e.id, e.date ? e.date.value : "", e.date ? e.date.granularity : "", e.type, e.mode,
      actorsLabel(e.actors), actorsLabel(e.recipients), e.modality,
      ...(e.place ? [e.place.name, e.place.country, e.place.lat, e.place.lon, e.place.geonameid]
        : ["", "", "", "", ""]),
      e.trigger,
      (e.sentence || "").trim(), e.article_id, article ? article.title : ""].map(csvField).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

function download(events) {
  const blob = new Blob([toCsv(events)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: "events.csv" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function render() {
  const params = new URLSearchParams(window.location.search);
  const current = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) || ""]));
  const form = h("form", { class: "filters card", id: "filters" },
    field("actor", "Actor", "RUS or actor id", current.actor),
    field("recipient", "Recipient", "CHN or actor id", current.recipient),
    typeSelect(current.type),
    field("since", "Since", "2014-05", current.since),
    field("until", "Until", "2015-12-31", current.until),
    h("button", { type: "submit", class: "primary" }, "Filter"),
    h("button", { type: "reset" }, "Clear"),
  );
  const status = h("p", { class: "meta", id: "status", "aria-live": "polite" });
  const body = h("tbody");
  const more = h("button", { type: "button", hidden: true }, "Load more");
  const csv = h("button", { type: "button", id: "csv" }, "Download CSV");
  fill(main,
    h("h1", null, "Events"),
    h("p", { class: "meta" }, "PLOVER events as extracted, one row per mention; dates compare as text, so 2014 matches 2014-05-20."),
    form,
    h("p", null, status, " ", csv),
    h("table", { class: "events" },
      h("thead", null, h("tr", null, ["Date", "Type", "Actors", "Recipients", "Modality", "Place",
        "Sentence", "Article"].map((t) => h("th", null, t)))),
      body),
    h("p", null, more),
  );

  const filters = () => Object.fromEntries(FILTERS.map((k) => [k, form.elements[k].value.trim()]));

  async function load(reset) {
    if (reset) {
      rows = [];
      next = null;
      body.replaceChildren();
    }
    status.textContent = "Loading…";
    try {
      const page = await api("/api/events", { ...filters(), limit: PAGE, next });
      rows.push(...page.items);
      body.append(...page.items.map(eventRow));
      next = page.next;
      more.hidden = !next;
      status.textContent = `${rows.length} event${rows.length === 1 ? "" : "s"} shown${next ? " (more available)" : ""}.`;
    } catch (error) {
      showError(status, error);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams(Object.entries(filters()).filter(([, v]) => v));
    window.history.replaceState(null, "", query.toString() ? `?${query}` : window.location.pathname);
    load(true);
  });
  form.addEventListener("reset", (event) => {
    // The inputs' defaults come from the URL, so a plain reset would restore them: clear instead.
    event.preventDefault();
    for (const name of FILTERS) form.elements[name].value = "";
    form.requestSubmit();
  });
  more.addEventListener("click", () => load(false));
  csv.addEventListener("click", () => download(rows));
  articles = await articleTitles();
  await load(true);
}

render().catch((error) => showError(main, error));
