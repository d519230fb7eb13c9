// The actor network of a time window: actors (country or sector codes) as nodes, events as edges
// coloured by PLOVER quad class. Clicking an edge (or a row of the pair table, or the pair form)
// shows that pair's timeline. Labels are drawn on the canvas; tooltips are Elements built with
// textContent, never HTML strings.

import { QUADS, api, articleTitles, fill, h, quadOf, showError } from "./app.js";
import { renderTimeline } from "./timeline.js";

const main = document.getElementById("main");
const params = new URLSearchParams(window.location.search);
let articles = new Map();

function tooltip(...lines) {
  return h("div", { class: "tooltip" }, lines.map((line) => h("div", null, line)));
}

function legend() {
  return h("div", { class: "legend", id: "legend" }, QUADS.map((q) => h("span", null,
    h("span", { class: "line", style: `background:${q.color}` }), ` ${q.name} (${q.types.join(", ")})`)));
}

function setQuery(changes) {
  for (const [key, value] of Object.entries(changes)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

async function showPair(root, a, b) {
  a = a.trim();
  b = b.trim();
  if (!a || !b) return;
  setQuery({ dyad: `${a},${b}` });
  fill(root, h("h2", null, `Timeline: ${a} – ${b}`), h("p", { class: "muted" }, "Loading…"));
  try {
    const { entries } = await api("/api/timeline", { dyad: `${a},${b}` });
    const body = h("div", { id: "pair-timeline" });
    fill(root, h("h2", null, `Timeline: ${a} – ${b}`),
      h("p", null, h("a", { href: `/events?actor=${encodeURIComponent(a)}&recipient=${encodeURIComponent(b)}` },
        `Events ${a} → ${b}`), " · ",
      h("a", { href: `/events?actor=${encodeURIComponent(b)}&recipient=${encodeURIComponent(a)}` },
        `Events ${b} → ${a}`)),
      body);
    renderTimeline(body, entries || [], articles);
    root.scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (error) {
    showError(root, error);
  }
}

// With more edges than this, edge labels show on hover and selection only.
const QUIET_EDGES = 30;

function drawGraph(container, data, onEdge, onNode) {
  if (!window.vis || !window.vis.Network) {
    fill(container, h("p", { class: "error" }, "The graph library did not load."));
    return null;
  }
  const counts = new Map();
  const quiet = data.edges.length > QUIET_EDGES;
  const edges = data.edges.map((edge, index) => {
    // Several types between one pair: bend each edge a little more so they stay apart.
    const pair = `${edge.source}>${edge.target}`;
    const k = counts.get(pair) || 0;
    counts.set(pair, k + 1);
    const quad = quadOf(edge.type);
    const color = quad ? quad.color : "#888";
    return {
      id: index,
      from: edge.source,
      to: edge.target,
      arrows: "to",
      label: `${edge.type} ${edge.count}`,
      width: 1 + Math.log2(edge.count) * 1.5,
      color: { color, highlight: color, hover: color },
      // many edges: their labels appear on hover and selection only (they would pile up)
      font: { size: quiet ? 0 : 10, color: "#444", strokeWidth: 3, align: "top" },
      chosen: quiet ? { label: (values) => { values.size = 10; } } : true,
      smooth: { enabled: true, type: "curvedCW", roundness: 0.12 + 0.14 * k },
      title: tooltip(`${edge.source} → ${edge.target}`, `${edge.type} (${edge.quad || "no quad"})`,
        `${edge.count} event${edge.count === 1 ? "" : "s"}`, "Click for the pair's timeline"),
    };
  });
  const nodes = data.nodes.map((node) => ({
    id: node.id,
    label: node.label === node.id ? node.id : `${node.label} (${node.id})`,
    value: node.events,
    shape: "dot",
    color: { background: "#dfe7f3", border: "#4a5f80" },
    font: { size: 14 },
    title: tooltip(`${node.label} (${node.id})`, `${node.events} event mentions`),
  }));
  const network = new window.vis.Network(container, {
    nodes: new window.vis.DataSet(nodes),
    edges: new window.vis.DataSet(edges),
  }, {
    nodes: { scaling: { min: 10, max: 40 } },
    physics: { stabilization: { iterations: 250 }, barnesHut: { springLength: 180, avoidOverlap: 0.4 } },
    interaction: { hover: true, tooltipDelay: 150 },
  });
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: false });
    const left = separateLabels(network, nodes.map((n) => n.id));
    container.dataset.labelOverlaps = String(left);
    network.fit();
  });
  network.on("click", (event) => {
    if (event.nodes.length) onNode(data.nodes.find((n) => n.id === event.nodes[0]));
    else if (event.edges.length) onEdge(data.edges[event.edges[0]]);
  });
  return network;
}

/** Whether two boxes ({left, right, top, bottom}) overlap, with `gap` pixels to spare. */
function overlap(a, b, gap) {
  return a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap && b.top < a.bottom + gap;
}

/**
 * After the physics layout, push apart nodes whose boxes (dot and label) overlap, a little at a
 * time along the line between their centres, until none do (or a bounded number of rounds). The boxes are
 * measured once (vis draws them) and moved with their nodes here. Returns how many overlapping
 * pairs are left.
 */
function separateLabels(network, ids, gap = 6) {
  const start = network.getPositions(ids);
  const pos = ids.map((id) => ({ x: start[id].x, y: start[id].y }));
  const shape = ids.map((id, i) => {
    const box = network.getBoundingBox(id);
    return { l: box.left - pos[i].x, r: box.right - pos[i].x, t: box.top - pos[i].y, b: box.bottom - pos[i].y };
  });
  const box = (i) => ({ left: pos[i].x + shape[i].l, right: pos[i].x + shape[i].r,
    top: pos[i].y + shape[i].t, bottom: pos[i].y + shape[i].b });
  const count = (margin) => {
    let n = 0;
    for (let i = 0; i < ids.length; i += 1) {
      for (let j = i + 1; j < ids.length; j += 1) if (overlap(box(i), box(j), margin)) n += 1;
    }
    return n;
  };
  // at most about five million pair checks in all (a large graph gets fewer rounds)
  const pairs = Math.max(1, (ids.length * (ids.length - 1)) / 2);
  const rounds = Math.max(5, Math.min(200, Math.floor(5e6 / pairs)));
  for (let round = 0; round < rounds && count(gap); round += 1) {
    for (let i = 0; i < ids.length; i += 1) {
      for (let j = i + 1; j < ids.length; j += 1) {
        const a = box(i);
        const b = box(j);
        if (!overlap(a, b, gap)) continue;
        let dx = pos[j].x - pos[i].x;
        let dy = pos[j].y - pos[i].y;
        if (Math.abs(dx) + Math.abs(dy) < 1e-6) { dx = 1; dy = 0.5; }
        // resolve along the axis that needs the smaller move
        const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left) + gap;
        const oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) + gap;
        if (ox < oy) {
          const step = ox / 2 + 0.5;
          const sign = dx >= 0 ? 1 : -1;
          pos[i].x -= sign * step; pos[j].x += sign * step;
        } else {
          const step = oy / 2 + 0.5;
          const sign = dy >= 0 ? 1 : -1;
          pos[i].y -= sign * step; pos[j].y += sign * step;
        }
      }
    }
  }
  ids.forEach((id, i) => network.moveNode(id, pos[i].x, pos[i].y));
  return count(0);
}

function edgeTable(data, onEdge) {
  if (!data.edges.length) return h("p", { class: "muted" }, "No events between two different actors in this window.");
  return h("table", { class: "edges" },
    h("thead", null, h("tr", null, ["Actor", "Recipient", "Type", "Quad class", "Events", ""].map((t) => h("th", null, t)))),
    h("tbody", null, data.edges.map((edge) => h("tr", null,
      h("td", null, edge.source), h("td", null, edge.target), h("td", null, edge.type),
      h("td", null, edge.quad || ""), h("td", { class: "num" }, String(edge.count)),
      h("td", null, h("button", { type: "button", class: "linkish", onclick: () => onEdge(edge) }, "timeline")),
    ))));
}

async function render() {
  const form = h("form", { class: "filters card", id: "window" },
    h("label", null, "Since", h("input", { name: "since", placeholder: "2014-01", value: params.get("since") || "", size: 12 })),
    h("label", null, "Until", h("input", { name: "until", placeholder: "2015-12-31", value: params.get("until") || "", size: 12 })),
    h("button", { type: "submit", class: "primary" }, "Show"));
  const [pa = "", pb = ""] = (params.get("dyad") || "").split(",");
  const pairForm = h("form", { class: "filters card", id: "pair" },
    h("label", null, "Actor A", h("input", { name: "a", placeholder: "RUS", value: pa, size: 10 })),
    h("label", null, "Actor B", h("input", { name: "b", placeholder: "CHN", value: pb, size: 10 })),
    h("button", { type: "submit", class: "primary" }, "Pair timeline"));
  const graph = h("div", { id: "graph" });
  const info = h("p", { class: "meta", id: "node-info", "aria-live": "polite" }, "Click an edge for the timeline of that pair, a node for its events.");
  const tableRoot = h("div");
  const pairRoot = h("section", { id: "pair-view" });
  fill(main, h("h1", null, "Actor network"), form, legend(), graph, info,
    h("h2", null, "Timeline of a pair"), pairForm, pairRoot, h("h2", null, "Edges"), tableRoot);

  const onEdge = (edge) => {
    pairForm.elements.a.value = edge.source;
    pairForm.elements.b.value = edge.target;
    showPair(pairRoot, edge.source, edge.target);
  };
  const onNode = (node) => fill(info, `${node.label} (${node.id}): ${node.events} event mentions · `,
    h("a", { href: `/events?actor=${encodeURIComponent(node.id)}` }, "as actor"), " · ",
    h("a", { href: `/events?recipient=${encodeURIComponent(node.id)}` }, "as recipient"));

  async function load() {
    const since = form.elements.since.value.trim();
    const until = form.elements.until.value.trim();
    setQuery({ since, until });
    try {
      const data = await api("/api/network", { since, until });
      fill(tableRoot, edgeTable(data, onEdge));
      if (!data.nodes.length) fill(graph, h("p", { class: "muted" }, "No actors in this window."));
      else drawGraph(graph, data, onEdge, onNode);
    } catch (error) {
      showError(graph, error);
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  pairForm.addEventListener("submit", (event) => {
    event.preventDefault();
    showPair(pairRoot, pairForm.elements.a.value, pairForm.elements.b.value);
  });
  articles = await articleTitles();
  await load();
  if (pa && pb) showPair(pairRoot, pa, pb);
}

render().catch((error) => showError(main, error));
