// The monitor's state: watched feeds (last fetch, HTTP status, errors and back-off, entries), the
// latest fetches and the articles stored per day. Reloads every 30 seconds.

import { api, fill, h, showError } from "./app.js";

const main = document.getElementById("main");
const REFRESH_MS = 30000;

function cell(value, cls) {
  return h("td", cls ? { class: cls } : null, value === null || value === undefined ? "" : String(value));
}

function table(cls, headers, rows) {
  return h("table", { class: cls },
    h("thead", null, h("tr", null, headers.map((t) => h("th", null, t)))),
    h("tbody", null, rows));
}

function feedsSection(feeds) {
  if (!feeds.length) {
    return h("p", { class: "muted", id: "no-feeds" },
      "No feeds are watched in this store. Start with storyline watch FEEDS (or storyline serve --watch FEEDS).");
  }
  return table("feeds", ["Feed", "Kind", "Last fetch", "Status", "Errors", "Next try", "Entries", "Pending", "Rejected", "Last error"],
    feeds.map((f) => h("tr", { "data-feed": f.url, class: f.errors ? "failing" : null },
      h("td", { class: "url" }, f.url),
      cell(f.kind),
      cell(f.last_fetch || "never", "date"),
      cell(f.last_status),
      cell(f.errors, "num"),
      cell(f.next_due || "next poll", "date"),
      cell(f.entries, "num"),
      cell(f.pending, "num"),
      cell(f.rejected, "num"),
      cell(f.last_error || "", "error"),
    )));
}

function fetchesSection(fetches) {
  if (!fetches.length) return h("p", { class: "muted" }, "No fetches yet.");
  return table("fetches", ["When", "URL", "Status", "New", "Seen", "Error", "ms"],
    fetches.map((f) => h("tr", null,
      cell(f.at, "date"), h("td", { class: "url" }, f.url), cell(f.status),
      cell(f.items_new, "num"), cell(f.items_seen, "num"),
      cell([f.code, f.error].filter(Boolean).join(" "), "error"), cell(f.ms, "num"))));
}

function perDaySection(days) {
  if (!days.length) return h("p", { class: "muted" }, "No articles stored yet.");
  const most = Math.max(...days.map((d) => d.articles), 1);
  return table("per-day", ["Day", "Articles", ""],
    days.map((d) => h("tr", null, cell(d.day, "date"), cell(d.articles, "num"),
      h("td", { class: "bar-cell" }, h("span", {
        class: "bar", style: `width: ${Math.max(2, Math.round((100 * d.articles) / most))}%`,
        "aria-hidden": "true",
      })))));
}

async function render() {
  const data = await api("/api/status");
  const failing = data.feeds.filter((f) => f.errors).length;
  fill(main,
    h("h1", null, "Status"),
    h("p", { class: "meta", id: "status-summary" },
      `${data.feeds.length} feed${data.feeds.length === 1 ? "" : "s"} watched`
      + (failing ? `, ${failing} failing` : "")
      + ` · ${data.articles} article${data.articles === 1 ? "" : "s"} stored · updated ${new Date().toLocaleTimeString()}`),
    h("section", { class: "card" }, h("h2", null, "Feeds"), feedsSection(data.feeds)),
    h("section", { class: "card" }, h("h2", null, "Articles stored per day"), perDaySection(data.articles_per_day)),
    h("section", { class: "card" }, h("h2", null, "Latest fetches"), fetchesSection(data.recent_fetches)),
  );
}

function refresh() {
  render().catch((error) => showError(main, error));
}

refresh();
setInterval(refresh, REFRESH_MS);
