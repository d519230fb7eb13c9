// An article: the cleaned text with its extractions highlighted (actors, times, places, quotes,
// quantities, event triggers), a panel showing what was extracted under a click, the article's
// events, its captions, and a toggle for what cleaning removed.
//
// The text is cut at every span boundary into segments; each segment covered by a span becomes a
// <mark> whose colour is that of its highest-priority kind (event > actor > time > place >
// quantity > quote) and whose click lists every extraction covering it. Overlaps never lose text;
// everything is inserted with textContent.

import {
  actorLabel, actorsLabel, api, articleHref, dateNode, details, fill, h, safeUrl, setTitle,
  showError, storyHref, typeBadge,
} from "./app.js";

const main = document.getElementById("main");
const articleId = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).pop() || "");

const KINDS = [
  { kind: "event", label: "event triggers" },
  { kind: "actor", label: "actors" },
  { kind: "time", label: "times" },
  { kind: "place", label: "places" },
  { kind: "quantity", label: "quantities" },
  { kind: "quote", label: "quotes" },
];
const PRIORITY = KINDS.map((k) => k.kind);

/** Every extraction as {kind, start, end, data}, with offsets checked against the text. */
function collectSpans(article) {
  const notes = article.annotations || {};
  const raw = [
    ...(notes.mentions || []).map((d) => ["actor", d.start, d.end, d]),
    ...(notes.timexes || []).map((d) => ["time", d.start, d.end, d]),
    ...(notes.places || []).map((d) => ["place", d.start, d.end, d]),
    ...(article.quotes || []).map((d) => ["quote", d.char_start, d.char_end, d]),
    ...(article.quantities || []).map((d) => ["quantity", d.char_start, d.char_end, d]),
    ...(article.events || []).map((d) => ["event", d.trigger_start, d.trigger_end, d]),
    ...(article.events || []).map((d) => ["sentence", d.char_start, d.char_end, d]),
  ];
  const length = (article.text || "").length;
  const spans = [];
  let skipped = 0;
  for (const [kind, start, end, data] of raw) {
    if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= length) {
      spans.push({ index: spans.length, kind, start, end, data });
    } else {
      skipped += 1;
    }
  }
  return { spans, skipped };
}

/** One line of plain text per extraction, for the native tooltip. */
function summary(span) {
  const d = span.data;
  switch (span.kind) {
    case "actor": return `Actor: ${actorLabel(d)}${d.kind ? ` · ${d.kind}` : ""}`;
    case "time": return `Time: ${d.value || "?"}${d.granularity ? ` (${d.granularity})` : ""}`;
    case "place": return `Place: ${d.name}${d.country ? ` (${d.country})` : ""}`;
    case "quote": return `Quote (${d.kind || "?"}) by ${d.speaker ? d.speaker.name : "unknown"}`;
    case "quantity": return `Quantity: ${d.normalized_value ?? "?"} ${d.normalized_unit || ""}${d.measures ? ` · ${d.measures}` : ""}`;
    case "event": return `Event ${d.type}: ${actorsLabel(d.actors) || "?"} → ${actorsLabel(d.recipients) || "?"}`;
    default: return "";
  }
}

/** The panel entry of one extraction. */
function describe(span) {
  const d = span.data;
  const head = (title) => h("h3", null, h("span", { class: "kind" }, span.kind), h("br"), title);
  switch (span.kind) {
    case "actor":
      return [head(d.name || d.text), details([
        ["text", d.text], ["kind", d.kind], ["country", d.country], ["sector", d.sector],
        ["label", d.label], ["actor id", d.actor_id],
      ]), d.actor_id ? h("p", null, h("a", { href: `/events?actor=${encodeURIComponent(d.actor_id)}` }, "Events with this actor")) : null];
    case "time":
      return [head(d.text), details([
        ["value", d.value], ["granularity", d.granularity], ["kind", d.kind], ["method", d.method],
        ["relative", d.relative], ["tense", d.tense],
      ])];
    case "place":
      return [head(d.name), details([
        ["kind", d.kind], ["country", d.country], ["GeoNames id", d.geonameid],
        ["coordinates", d.lat !== null && d.lat !== undefined ? `${d.lat}, ${d.lon}` : null],
      ])];
    case "quote":
      return [head(d.speaker ? d.speaker.name : "unknown speaker"), details([
        ["speaker", d.speaker ? actorLabel(d.speaker) : null], ["role", d.speaker && d.speaker.role],
        ["said as", d.speaker_text], ["kind", d.kind], ["cue", d.cue],
      ]), h("blockquote", null, d.content || "")];
    case "quantity":
      return [head(d.text), details([
        ["value", d.value_max !== null && d.value_max !== undefined ? `${d.value} – ${d.value_max}` : d.value],
        ["unit", d.unit], ["normalised", `${d.normalized_value ?? ""} ${d.normalized_unit || ""}`.trim()],
        ["qualifier", d.qualifier], ["measures", d.measures], ["year", d.year],
      ])];
    case "event":
      return [head([typeBadge(d.type), " ", d.trigger || ""]), details([
        ["mode", d.mode], ["actors", actorsLabel(d.actors)], ["recipients", actorsLabel(d.recipients)],
        ["date", d.date ? dateNode(d.date) : null], ["place", d.place ? d.place.name : null],
        ["modality", d.modality], ["contexts", (d.contexts || []).join(", ")], ["CAMEO", d.cameo],
        ["confidence", d.confidence],
      ])];
    default:
      return [];
  }
}

class ArticleView {
  constructor(article, spans) {
    this.article = article;
    this.spans = spans;
    this.enabled = new Set(PRIORITY);
    this.pieces = []; // [{node, start, end, spans}] for the wrapped segments
    this.textRoot = h("div", { class: "article-text", id: "article-text" });
    this.panel = h("div", { class: "extraction", id: "extraction", "aria-live": "polite" },
      h("p", { class: "muted" }, "Click a highlight to see what was extracted."));
  }

  /** Cut the text at every boundary of an enabled span and wrap the covered segments. */
  renderText() {
    const text = this.article.text || "";
    const active = this.spans.filter((s) => s.kind === "sentence" || this.enabled.has(s.kind));
    const cuts = new Set([0, text.length]);
    for (const s of active) cuts.add(s.start).add(s.end);
    const points = [...cuts].sort((a, b) => a - b);
    const byStart = [...active].sort((a, b) => a.start - b.start);
    const open = [];
    let next = 0;
    const nodes = [];
    this.pieces = [];
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [a, b] = [points[i], points[i + 1]];
      while (next < byStart.length && byStart[next].start <= a) open.push(byStart[next++]);
      const covering = open.filter((s) => s.end >= b);
      open.splice(0, open.length, ...covering);
      const piece = text.slice(a, b);
      const visible = covering.filter((s) => s.kind !== "sentence");
      if (!covering.length) {
        nodes.push(document.createTextNode(piece));
        continue;
      }
      let node;
      if (visible.length) {
        const primary = PRIORITY.find((k) => visible.some((s) => s.kind === k));
        const classes = [`hl-${primary}`];
        if (primary !== "quote" && visible.some((s) => s.kind === "quote")) classes.push("in-quote");
        node = h("mark", {
          class: classes.join(" "),
          tabindex: 0,
          "data-kinds": [...new Set(visible.map((s) => s.kind))].join(" "),
          title: visible.map(summary).join("\n"),
        }, piece);
        node.addEventListener("click", () => this.select(visible, node));
        node.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            this.select(visible, node);
          }
        });
      } else {
        node = h("span", { class: "sent" }, piece);
      }
      this.pieces.push({ node, start: a, end: b, spans: covering });
      nodes.push(node);
    }
    this.textRoot.replaceChildren(...nodes);
  }

  /** Show the extractions under a mark and outline the spans they cover. */
  select(visible, node) {
    const ordered = [...visible].sort((x, y) => PRIORITY.indexOf(x.kind) - PRIORITY.indexOf(y.kind));
    fill(this.panel, ordered.map(describe));
    const chosen = new Set(ordered.map((s) => s.index));
    for (const piece of this.pieces) {
      piece.node.classList.toggle("active", piece.node.tagName === "MARK" &&
        piece.spans.some((s) => chosen.has(s.index) && s.kind === ordered[0].kind));
    }
    const event = ordered.find((s) => s.kind === "event");
    this.outlineSentences(event ? [event.data] : []);
    if (node) node.focus({ preventScroll: true });
  }

  /** Outline the sentences of these events; show the first in the panel and scroll to it. */
  showEvents(events, scroll = true) {
    if (!events.length) return;
    const span = this.spans.find((s) => s.kind === "event" && s.data.id === events[0].id);
    fill(this.panel, span ? describe(span) : []);
    this.outlineSentences(events);
    const first = this.pieces.find((p) => p.node.classList.contains("sentence-active"));
    if (first && scroll) first.node.scrollIntoView({ block: "center" });
  }

  outlineSentences(events) {
    const ranges = events.map((e) => [e.char_start, e.char_end]);
    for (const piece of this.pieces) {
      piece.node.classList.toggle("sentence-active",
        ranges.some(([a, b]) => piece.start >= a && piece.end <= b));
    }
  }

  legend() {
    const counts = Object.fromEntries(PRIORITY.map((k) => [k, this.spans.filter((s) => s.kind === k).length]));
    return h("div", { class: "legend", id: "legend" }, KINDS.map(({ kind, label }) => {
      const box = h("input", { type: "checkbox", checked: true, name: kind });
      box.addEventListener("change", () => {
        if (box.checked) this.enabled.add(kind);
        else this.enabled.delete(kind);
        this.renderText();
      });
      return h("label", null, box, h("span", { class: `swatch ${kind}` }), `${label} (${counts[kind]})`);
    }));
  }

  eventsTable() {
    const events = this.article.events || [];
    if (!events.length) return h("p", { class: "muted" }, "No events found in this article.");
    return h("table", { class: "events" },
      h("thead", null, h("tr", null, ["Date", "Type", "Actors", "Recipients", "Modality", "Trigger"].map((t) => h("th", null, t)))),
      h("tbody", null, events.map((e) => h("tr", {
        class: "event-row",
        id: `event-row-${e.id}`,
        tabindex: 0,
        onclick: () => {
          window.history.replaceState(null, "", `#event-${encodeURIComponent(e.id)}`);
          this.showEvents([e]);
        },
      },
      h("td", null, dateNode(e.date)), h("td", null, typeBadge(e.type)),
      h("td", null, actorsLabel(e.actors)), h("td", null, actorsLabel(e.recipients)),
      h("td", null, e.modality || ""), h("td", null, e.trigger || "")))));
  }

  /** "#event-ID" selects one event; "#linked-ID" the events of one linked event (timeline). */
  followHash() {
    const hash = decodeURIComponent(window.location.hash.slice(1));
    const events = this.article.events || [];
    let chosen = [];
    if (hash.startsWith("event-")) chosen = events.filter((e) => e.id === hash.slice(6));
    else if (hash.startsWith("linked-")) chosen = events.filter((e) => e.linked_id === hash.slice(7));
    this.showEvents(chosen);
  }
}

function header(article) {
  const url = safeUrl(article.url);
  const meta = [
    article.source ? h("span", null, article.source) : null,
    article.published
      ? h("span", null, "published ", dateNode({ value: article.published, granularity: article.published_granularity }))
      : h("span", null, "publication date unknown"),
    article.story_id ? h("span", null, "story ", h("a", { href: storyHref(article.story_id) }, article.story_id)) : null,
    article.duplicate_of ? h("span", null, "near-duplicate of ", h("a", { href: articleHref(article.duplicate_of) }, article.duplicate_of)) : null,
  ].filter(Boolean);
  return [
    h("h1", { id: "article-title" }, article.title || "(untitled)"),
    h("p", { class: "meta" }, meta.map((m, i) => [i ? " · " : "", m])),
    article.url ? h("p", { class: "meta url" }, url
      ? h("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, article.url)
      : article.url) : null,
  ];
}

function removedSection(article) {
  const removed = article.removed || [];
  const list = h("ul", { class: "removed", id: "removed", hidden: true }, removed.map((r) => h("li", null,
    h("span", { class: "rule" }, r.rule || "?"), " ", r.text || "")));
  const button = h("button", { type: "button", id: "toggle-removed", "aria-expanded": "false",
    "aria-controls": "removed" }, `Show removed boilerplate (${removed.length})`);
  button.addEventListener("click", () => {
    list.hidden = !list.hidden;
    button.setAttribute("aria-expanded", String(!list.hidden));
    button.textContent = `${list.hidden ? "Show" : "Hide"} removed boilerplate (${removed.length})`;
  });
  return h("section", { class: "card" }, h("h2", null, "Removed by cleaning"),
    removed.length ? [button, list] : h("p", { class: "muted" }, "Nothing was removed."));
}

function failuresNote(article) {
  // stages that failed on this article: it was stored with what succeeded
  const failures = article.failures || [];
  if (!failures.length) return null;
  return h("section", { class: "card", id: "failures" }, h("h2", null, "Incomplete analysis"),
    h("ul", null, failures.map((f) => h("li", null,
      h("span", { class: "error" }, `stage ${f.stage} failed`),
      f.sentence !== null && f.sentence !== undefined ? ` (sentence ${f.sentence}, ${f.part})` : "",
      `: ${f.error} `, h("span", { class: "muted" }, `bug ${f.digest}`)))),
    h("p", { class: "muted" }, "Run storyline reprocess --failed after an upgrade to try again."));
}

async function render() {
  const article = await api(`/api/articles/${encodeURIComponent(articleId)}`);
  setTitle(article.title || article.id);
  const { spans, skipped } = collectSpans(article);
  const view = new ArticleView(article, spans);
  view.renderText();
  const captions = article.captions || [];
  fill(main,
    header(article),
    failuresNote(article),
    h("div", { class: "article-grid" },
      h("div", null,
        view.legend(),
        skipped ? h("p", { class: "muted" }, `${skipped} extraction(s) with offsets outside the text not shown.`) : null,
        view.textRoot,
        captions.length ? h("section", { class: "card" }, h("h2", null, "Captions"),
          h("ul", { class: "captions" }, captions.map((c) => h("li", null, c)))) : null,
        h("h2", null, "Events in this article"),
        view.eventsTable(),
        removedSection(article)),
      h("aside", { class: "aside card" }, h("h2", null, "Extraction"), view.panel)),
  );
  view.followHash();
  window.addEventListener("hashchange", () => view.followHash());
}

render().catch((error) => showError(main, error));
