// A story: its articles, the interactive timeline of its linked events, and the cited briefing.

import {
  api, articleHref, articleName, articleTitles, dateNode, fill, h, setTitle, showError,
} from "./app.js";
import { renderTimeline } from "./timeline.js";

const main = document.getElementById("main");
const storyId = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).pop() || "");

/** Citation marks [1][2] pointing at the numbered source list. */
function cites(ids, numbers, articles) {
  return h("sup", { class: "cites" }, (ids || []).map((id) => {
    const row = articles.get(id);
    return h("a", {
      href: articleHref(id),
      title: articleName(row, id),
      "data-article": id,
    }, `[${numbers.get(id) || id}]`);
  }));
}

function briefSection(brief, articles) {
  const numbers = new Map((brief.article_ids || []).map((id, i) => [id, i + 1]));
  const section = h("section", { class: "card brief", id: "brief" }, h("h2", null, "Briefing"));
  section.append(brief.sentences.length
    ? h("ol", { class: "brief" }, brief.sentences.map((s) => h("li", null,
      dateNode(s.date), " ", s.text, " ", cites(s.article_ids, numbers, articles))))
    : h("p", { class: "muted" }, "No linked events yet."));

  if (brief.disagreements && brief.disagreements.length) {
    section.append(h("h3", null, "Where sources disagree"), h("ul", { class: "disagreements" },
      brief.disagreements.map((d) => h("li", null, `${d.about} (${d.kind}): `,
        d.values.map((v, i) => [i ? "; " : "", h("b", null, String(v.value)), " ",
          cites(v.article_ids, numbers, articles)])))));
  }
  if (brief.quotes && brief.quotes.length) {
    section.append(h("h3", null, "Key quotes"), h("ul", { class: "sources" },
      brief.quotes.map((q) => h("li", null, h("blockquote", null, q.content),
        h("span", { class: "cite" }, `— ${q.speaker || "unknown"} `,
          cites([q.article_id], numbers, articles))))));
  }
  if (brief.figures && brief.figures.length) {
    section.append(h("h3", null, "Key figures"), h("ul", { class: "figures" },
      brief.figures.map((f) => h("li", null, h("b", null, f.text),
        f.measures ? ` (${f.measures})` : "", " ", cites(f.article_ids, numbers, articles)))));
  }
  section.append(h("h3", null, "Sources"), h("ol", { class: "refs" },
    (brief.article_ids || []).map((id) => {
      const row = articles.get(id);
      return h("li", null, h("a", { href: articleHref(id) }, articleName(row, id)),
        row ? h("span", { class: "meta" }, ` · ${[row.source, row.published].filter(Boolean).join(", ")}`) : null);
    })));
  return section;
}

async function render() {
  const [story, timeline, brief, articles] = await Promise.all([
    api(`/api/stories/${encodeURIComponent(storyId)}`),
    api("/api/timeline", { story: storyId }),
    api("/api/brief", { story: storyId }),
    articleTitles(),
  ]);
  setTitle(story.title || story.id);
  const timelineRoot = h("div", { id: "timeline" });
  fill(main,
    h("p", { class: "meta" }, h("a", { href: "/" }, "Stories"), " › ", story.id),
    h("h1", null, story.title || story.id),
    // the main event, generated from the linked events: date, what happened, source count
    story.headline && story.headline !== story.title
      ? h("p", { class: "main-event" }, "Main event: ", story.headline) : null,
    h("p", { class: "meta" },
      dateNode({ value: story.start && story.end && story.start !== story.end
        ? `${story.start}/${story.end}` : story.start || story.end }),
      ` · ${story.article_ids.length} article(s) · ${story.event_ids.length} linked event(s)`),
    h("h2", null, "Timeline"),
    timelineRoot,
    briefSection(brief, articles),
  );
  const period = story.start && story.end ? `${story.start}/${story.end}` : null;
  renderTimeline(timelineRoot, timeline.entries || [], articles, period);
}

render().catch((error) => showError(main, error));
