// An interactive timeline of linked events ({"entries": [...]} from /api/timeline), shared by the
// story page and the network page's pair view. Dated entries go on a vis-timeline (item content is
// an Element built with textContent, never an HTML string); undated ones (or ones whose year is
// unknown) are listed below it. Selecting an entry shows its sources: each sentence with a link to
// its article.

import { articleLink, dateNode, fill, h, placeNode, quadOf, typeBadge } from "./app.js";

const TIMEX = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const WEEK = /^(\d{4})-W(\d{2})$/;
const PART = /^(\d{4})-(H[12]|Q[1-4]|SP|SU|FA|WI)$/;
// First month (0-based) and length in months of halves, quarters and seasons.
const PARTS = {
  H1: [0, 6], H2: [6, 6], Q1: [0, 3], Q2: [3, 3], Q3: [6, 3], Q4: [9, 3],
  SP: [2, 3], SU: [5, 3], FA: [8, 3], WI: [11, 3],
};

/** [start, end) of one TIMEX value: 2014, 2014-05, 2014-05-20, 2014-W21, 2014-H2, 2014-Q3, 2014-SU. */
function timexSpan(value) {
  const week = WEEK.exec(value);
  if (week) {
    // ISO week N starts on the Monday of the week holding 4 January, plus N - 1 weeks.
    const jan4 = new Date(+week[1], 0, 4);
    const monday = new Date(+week[1], 0, 4 - ((jan4.getDay() + 6) % 7) + (+week[2] - 1) * 7);
    return [monday, new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 7)];
  }
  const part = PART.exec(value);
  if (part) {
    const [month, months] = PARTS[part[2]];
    return [new Date(+part[1], month, 1), new Date(+part[1], month + months, 1)];
  }
  const m = TIMEX.exec(value);
  if (!m) return null;
  const [year, month, day] = [+m[1], m[2] ? +m[2] - 1 : null, m[3] ? +m[3] : null];
  if (month === null) return [new Date(year, 0, 1), new Date(year + 1, 0, 1)];
  if (day === null) return [new Date(year, month, 1), new Date(year, month + 1, 1)];
  return [new Date(year, month, day), new Date(year, month, day + 1)];
}

/** [start, end) of a TIMEX value or a range A/B; null if the value has no known year
 *  (XXXX-05-20) or another shape. */
export function timexBounds(value) {
  if (!value) return null;
  const [first, last = first] = String(value).split("/");
  const a = timexSpan(first);
  const b = timexSpan(last);
  return a && b && b[1] > a[0] ? [a[0], b[1]] : null;
}

function quadClass(type) {
  const quad = quadOf(type);
  return quad ? `quad-${quad.name.replace(/\s+/g, "-")}` : "quad-none";
}

/** The sources of one entry: its sentences, each citing its article. */
export function renderEntry(panel, entry, articles) {
  const sources = entry.sources || [];
  fill(panel,
    h("h3", null, typeBadge(entry.type), " ", entry.summary || "(no summary)"),
    h("p", { class: "meta" }, dateNode(entry.date),
      entry.place ? [" · ", placeNode(entry.place)] : null,
      ` · ${sources.length} source${sources.length === 1 ? "" : "s"}`),
    h("ul", { class: "sources" }, sources.map((source) => h("li", null,
      h("blockquote", null, source.sentence || ""),
      h("span", { class: "cite" }, "— ", articleLink(source.article_id, articles, `linked-${entry.id}`)),
    ))),
  );
  panel.hidden = false;
  panel.scrollIntoView({ block: "nearest" });
}

/** The window to open on: `focus` (e.g. a story's period) if given, else where most events are
 *  (10th to 90th percentile), so one far-off date does not squeeze the rest into a corner. */
function openingWindow(dated, focus) {
  const span = focus && timexBounds(focus);
  let first;
  let last;
  if (span) {
    [first, last] = span.map((d) => d.getTime());
  } else {
    const starts = dated.map((d) => d.span[0].getTime()).sort((a, b) => a - b);
    const ends = dated.map((d) => d.span[1].getTime()).sort((a, b) => a - b);
    first = starts[Math.floor((starts.length - 1) * 0.1)];
    last = Math.max(ends[Math.ceil((ends.length - 1) * 0.9)], first);
  }
  const pad = Math.max((last - first) * 0.2, 4 * 86400e3);
  return [new Date(first - pad), new Date(last + pad)];
}

/**
 * Render `entries` into `root`: a line naming the articles cited, the timeline, the selected
 * entry's sources and the undated entries. `focus` is an optional TIMEX value or range to open
 * the timeline on. Returns the vis.Timeline (or null).
 */
export function renderTimeline(root, entries, articles, focus) {
  const dated = [];
  const undated = [];
  entries.forEach((entry, index) => {
    const span = timexBounds(entry.date && entry.date.value);
    (span ? dated : undated).push({ entry, index, span });
  });

  const cited = [...new Set(entries.flatMap((e) => (e.sources || []).map((s) => s.article_id)))];
  const panel = h("section", { class: "entry-panel", "aria-live": "polite", hidden: true });
  const canvas = h("div", { class: "timeline" });
  const hint = h("p", { class: "hint muted" });
  fill(root,
    h("p", { class: "meta cited" },
      `${entries.length} linked event${entries.length === 1 ? "" : "s"}, citing ${cited.length} article${cited.length === 1 ? "" : "s"}: `,
      cited.map((id, i) => [i ? " · " : "", articleLink(id, articles)])),
    dated.length ? canvas : h("p", { class: "muted" }, "No dated events."),
    hint,
    panel,
  );

  let timeline = null;
  if (dated.length && window.vis && window.vis.Timeline) {
    const items = dated.map(({ entry, index, span }) => {
      const single = entry.date.granularity === "day" && !String(entry.date.value).includes("/");
      return {
        id: index,
        start: span[0],
        end: single ? undefined : span[1],
        type: single ? "box" : "range",
        className: quadClass(entry.type),
        content: h("span", { class: "tl-item" }, h("b", null, entry.type || "?"), " ", entry.summary || ""),
      };
    });
    const [start, end] = openingWindow(dated, focus);
    timeline = new window.vis.Timeline(canvas, new window.vis.DataSet(items), {
      start,
      end,
      stack: true,
      // a box's label starts at its date (centred, an event near the window's left edge was
      // cut off there)
      align: "left",
      orientation: "top",
      maxHeight: 460,
      verticalScroll: true,
      zoomKey: "ctrlKey",
      showCurrentTime: false,
      margin: { item: { horizontal: 4, vertical: 6 } },
    });
    timeline.on("select", ({ items: selected }) => {
      if (selected.length) renderEntry(panel, entries[selected[0]], articles);
    });
    const all = h("button", { type: "button", class: "linkish" }, "show all events");
    all.addEventListener("click", () => timeline.fit());
    fill(hint, "Click an event to see its sources; drag to move, Ctrl + wheel to zoom, or ", all, ".");
  } else if (dated.length) {
    undated.unshift(...dated); // no timeline library: list everything
  }

  if (undated.length) renderUndated(root, undated, panel, articles);
  return timeline;
}

function renderUndated(root, rows, panel, articles) {
  root.append(
    h("h3", null, "Without a full date"),
    h("ul", { class: "undated" }, rows.map(({ entry }) => h("li", null,
      h("button", {
        type: "button",
        class: `linkish ${quadClass(entry.type)}`,
        onclick: () => renderEntry(panel, entry, articles),
      }, typeBadge(entry.type), " ", entry.summary || "(no summary)"),
      " ", dateNode(entry.date),
      ` · ${(entry.sources || []).length} source(s)`,
    ))),
  );
}
