// The start page: search results (for "/?q=..."), the stories, and the stored articles.

import { api, articleHref, articleName, dateNode, fill, h, showError, storyHref } from "./app.js";

const main = document.getElementById("main");
const query = (new URLSearchParams(window.location.search).get("q") || "").trim();

function period(story) {
  if (!story.start && !story.end) return "undated";
  if (story.start === story.end || !story.end) return story.start;
  return `${story.start || "?"} – ${story.end}`;
}

async function searchSection() {
  document.querySelector('header.nav input[name="q"]').value = query;
  const section = h("section", { class: "card", id: "search" }, h("h2", null, `Search: ${query}`));
  try {
    const { items } = await api("/api/search", { q: query });
    section.append(items.length
      ? h("ol", { class: "results" }, items.map((row) => h("li", null,
        h("a", { href: articleHref(row.id) }, articleName(row)),
        h("span", { class: "meta" }, ` · ${[row.source, row.published].filter(Boolean).join(", ")}`),
        h("div", { class: "muted" }, row.snippet || ""),
      )))
      : h("p", { class: "muted" }, "No article matches."));
  } catch (error) {
    showError(section, error);
  }
  return section;
}

const STORY_PAGE = 50;

function storyRow(story) {
  return h("tr", { "data-story": story.id },
    h("td", null, h("a", { href: storyHref(story.id) }, story.title || story.id),
      story.headline && story.headline !== story.title
        ? h("div", { class: "main-event" }, story.headline) : null),
    h("td", { class: "date" }, period(story)),
    h("td", { class: "num" }, String(story.article_ids.length)),
    h("td", { class: "num" }, String(story.event_ids.length)),
  );
}

/** The stories, largest first, a page at a time ("More stories" loads the next page). */
async function storiesSection() {
  const first = await api("/api/stories", { limit: STORY_PAGE });
  if (!first.items.length) {
    return [h("h1", null, "Stories"),
      h("p", { class: "muted" }, "No stories yet: ingest some articles (storyline ingest PATH).")];
  }
  const body = h("tbody");
  const shown = h("p", { class: "meta", id: "stories-shown" });
  const more = h("button", { type: "button", id: "more-stories" }, "More stories");
  const section = h("section", { id: "stories" },
    h("h1", null, "Stories"), shown,
    h("table", { class: "stories" },
      h("thead", null, h("tr", null, ["Story", "Period", "Articles", "Linked events"].map((t) => h("th", null, t)))),
      body),
    h("p", null, more));
  let count = 0;
  let next = null;
  function add(page) {
    body.append(...page.items.map(storyRow));
    count += page.items.length;
    next = page.next;
    more.hidden = !next;
    shown.textContent = `${next ? "The largest " : ""}${count} stor${count === 1 ? "y" : "ies"}${next ? " shown" : ""}: articles grouped across outlets, largest first.`;
  }
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      add(await api("/api/stories", { limit: STORY_PAGE, next }));
    } catch (error) {
      showError(section, error);
    }
    more.disabled = false;
  });
  add(first);
  return section;
}

function articlesSection() {
  const body = h("tbody");
  const more = h("button", { type: "button" }, "More articles");
  const section = h("section", null,
    h("h2", null, "Articles"),
    h("table", { class: "articles" },
      h("thead", null, h("tr", null, ["Title", "Outlet", "Published"].map((t) => h("th", null, t)))),
      body),
    h("p", null, more));
  let next = null;
  async function load() {
    more.disabled = true;
    try {
      const page = await api("/api/articles", { limit: 50, next });
      for (const row of page.items) {
        body.append(h("tr", null,
          h("td", null, h("a", { href: articleHref(row.id) }, articleName(row)),
            row.duplicate_of ? h("span", { class: "muted" }, " (near-duplicate)") : null),
          h("td", null, row.source || ""),
          h("td", null, dateNode({ value: row.published, granularity: row.published_granularity })),
        ));
      }
      next = page.next;
      more.hidden = !next;
    } catch (error) {
      showError(section, error);
    }
    more.disabled = false;
  }
  more.addEventListener("click", load);
  load();
  return section;
}

async function render() {
  const parts = [];
  if (query) parts.push(await searchSection());
  parts.push(await storiesSection(), articlesSection());
  fill(main, parts);
}

render().catch((error) => showError(main, error));
