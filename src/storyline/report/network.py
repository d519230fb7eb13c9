"""The actor network of a time window: actors (country or sector codes) as nodes, events between
them as edges, one edge per (actor, recipient, PLOVER type) with its count and quad class."""

from __future__ import annotations

from collections import Counter
from typing import Any

QUAD = {"AGREE": "verbal cooperation", "CONSULT": "verbal cooperation",
        "SUPPORT": "verbal cooperation", "CONCEDE": "verbal cooperation",
        "COOPERATE": "material cooperation", "AID": "material cooperation",
        "RETREAT": "material cooperation", "REQUEST": "verbal conflict",
        "ACCUSE": "verbal conflict", "REJECT": "verbal conflict", "THREATEN": "verbal conflict",
        "PROTEST": "material conflict", "SANCTION": "material conflict",
        "MOBILIZE": "material conflict", "COERCE": "material conflict",
        "ASSAULT": "material conflict"}


def network(conn: Any, since: str | None = None, until: str | None = None,
            limit: int = 300) -> dict[str, Any]:
    """``{"nodes": [{"id", "label", "events"}], "edges": [{"source", "target", "type", "quad",
    "count"}]}``, the busiest edges first (at most ``limit``)."""
    from storyline.annotate.lexicons import lexicons

    rows = conn.execute(
        """SELECT a.code AS source, r.code AS target, e.type AS type, count(*) AS n
           FROM events e
           JOIN event_codes a ON a.event_id = e.id AND a.role = 'actor'
           JOIN event_codes r ON r.event_id = e.id AND r.role = 'recipient'
           WHERE a.code != '' AND r.code != '' AND a.code != r.code
             AND (? IS NULL OR e.date_value >= ?) AND (? IS NULL OR e.date_value <= ? || 'Z')
           GROUP BY a.code, r.code, e.type ORDER BY n DESC LIMIT ?""",
        (since, since, until, until, limit)).fetchall()
    labels = lexicons().country_label
    weight: Counter[str] = Counter()
    edges = []
    for row in rows:
        weight[row["source"]] += row["n"]
        weight[row["target"]] += row["n"]
        edges.append({"source": row["source"], "target": row["target"], "type": row["type"],
                      "quad": QUAD.get(row["type"], ""), "count": row["n"]})
    nodes = [{"id": code, "label": labels.get(code, code), "events": n}
             for code, n in weight.most_common()]
    return {"nodes": nodes, "edges": edges}
