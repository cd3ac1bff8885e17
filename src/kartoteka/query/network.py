"""Who is linked to whom: the network of entities and the shortest paths between two.

Edges come from the mention level (relation mentions, event mentions with their roles, and
optionally names in the same sentence), so every edge keeps the passages behind it and can be
filtered by document and by date. Event tellings merged across sources (`event_links`) count
as one shared event.

Edge kinds:
- `relation`: a relation stated between the two (directed, subject -> object), typed by its
  predicate;
- `event`: both take part in one event (any roles), typed by the event type;
- `sentence`: both are named in one sentence (a co-mention: weak; off unless asked for).

Every edge counts its tellings (`count`) and the documents behind them (`sources`). The
network page lays the graph out and finds its communities in the browser; what it reads is
`graph`, and `edge_passages` when an edge is clicked.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from kartoteka.query.cards import find_entities
from kartoteka.query.errors import BadValue
from kartoteka.store import Store
from kartoteka.store.batches import batches, placeholders

__all__ = [
    "Period",
    "graph",
    "edges",
    "edge_passages",
    "node_summary",
    "shortest_paths",
    "path_between",
    "EDGE_KINDS",
    "DEFAULT_TYPES",
]

EDGE_KINDS = ("relation", "event", "sentence")
DEFAULT_KINDS = ("relation", "event")
DEFAULT_TYPES = ("PER", "ORG")
#: at most this many passages kept per edge in the output (the count says how many there are)
EVIDENCE_PER_EDGE = 5


@dataclass(frozen=True)
class Period:
    """ISO day bounds, either may be open: `Period.parse("1937", "1938")` runs from
    1937-01-01 to 1938-12-31, `Period.parse("1937", None)` from 1937 on."""

    lower: str | None = None
    upper: str | None = None

    @classmethod
    def parse(cls, start: str | None, end: str | None = None) -> Period:
        from kartoteka.time.values import bounds

        def widen(value: str | None, side: int) -> str | None:
            if not value or not value.strip():
                return None
            try:
                return bounds(value.strip())[side]
            except ValueError as e:
                raise BadValue(
                    f"{value!r} is not a date; give a year, 1937-05 or 1937-05-12"
                ) from e

        return cls(widen(start, 0), widen(end, 1))

    @property
    def open(self) -> bool:
        return self.lower is None and self.upper is None

    def meets(self, lower: str | None, upper: str | None) -> bool:
        """Could something dated [lower, upper] fall in this period? Undated: no."""
        if self.open:
            return True
        if lower is None and upper is None:
            return False
        if self.lower and upper and upper < self.lower:
            return False
        if self.upper and lower and lower > self.upper:
            return False
        return True


@dataclass
class Edge:
    source: int
    target: int
    kind: str
    type: str
    count: int = 0
    evidence: list[dict] = field(default_factory=list)
    keep: int = EVIDENCE_PER_EDGE
    _seen: set = field(default_factory=set, repr=False)
    _documents: set = field(default_factory=set, repr=False)

    def add(self, group, passage: dict) -> None:
        self._documents.add(passage["doc"])
        if len(self.evidence) < self.keep:
            self.evidence.append(passage)
        if group not in self._seen:  # one merged event told twice counts once
            self._seen.add(group)
            self.count += 1

    @property
    def sources(self) -> int:
        """How many documents state it."""
        return len(self._documents)

    def to_dict(self, evidence: bool = True) -> dict:
        out = {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "type": self.type,
            "count": self.count,
            "sources": self.sources,
        }
        if evidence:
            out["evidence"] = self.evidence
        return out


def _passage(doc_id: int, start: int, end: int, anchor: str, **extra) -> dict:
    return {"doc": doc_id, "start": start, "end": end, "anchor": anchor, **extra}


def edges(
    store: Store,
    *,
    kinds=DEFAULT_KINDS,
    doc_id: int | None = None,
    period: Period = Period(),
    pair: tuple[int, int] | None = None,
    keep: int = EVIDENCE_PER_EDGE,
) -> list[Edge]:
    """Every edge between two different entities, aggregated per (pair, kind, type), each
    keeping its first `keep` passages; with `pair`, only the edges between those two.

    A period keeps only dated events meeting it; relations and sentences carry no date of
    their own and are left out when a period is given.
    """
    found = _Edges(keep)
    between = {"a": pair[0], "b": pair[1]} if pair else {"a": None, "b": None}
    if "relation" in kinds and period.open:
        _relation_edges(store, found, doc_id, between)
    if "event" in kinds:
        _event_edges(store, found, doc_id, period, between)
    if "sentence" in kinds and period.open:
        _sentence_edges(store, found, doc_id, between)
    return list(found.values())


class _Edges(dict):
    """(a, b, kind, type) -> Edge, made on first use."""

    def __init__(self, keep: int = EVIDENCE_PER_EDGE):
        super().__init__()
        self.keep = keep

    def get_edge(self, a: int, b: int, kind: str, type_: str, directed: bool) -> Edge:
        if not directed and a > b:
            a, b = b, a
        key = (a, b, kind, type_)
        if key not in self:
            self[key] = Edge(a, b, kind, type_, keep=self.keep)
        return self[key]


def _in_pair(column: str, between: dict) -> str:
    """SQL keeping the rows whose entity `column` is one of the pair asked for, if one was
    (a plain IN, so SQLite starts from the two entities' mentions by their index)."""
    return f" AND {column} IN (:a, :b)" if between["a"] is not None else ""


def _relation_edges(store: Store, found: _Edges, doc_id: int | None, between: dict) -> None:
    for r in store.conn.execute(
        "SELECT rm.id, rm.doc_id, rm.predicate, rm.evidence_start, rm.evidence_end,"
        " s.entity_id AS a, o.entity_id AS b, s.id AS mention FROM relation_mentions rm"
        " JOIN mentions s ON s.doc_id = rm.doc_id AND s.idx = rm.subject_idx"
        " JOIN mentions o ON o.doc_id = rm.doc_id AND o.idx = rm.object_idx"
        " WHERE s.entity_id IS NOT NULL AND o.entity_id IS NOT NULL"
        " AND s.entity_id != o.entity_id AND (:doc IS NULL OR rm.doc_id = :doc)"
        + _in_pair("s.entity_id", between)
        + _in_pair("o.entity_id", between),
        {"doc": doc_id, **between},
    ):
        found.get_edge(r["a"], r["b"], "relation", r["predicate"], True).add(
            ("r", r["id"]),
            _passage(
                r["doc_id"],
                r["evidence_start"],
                r["evidence_end"],
                f"m-{r['mention']}",
                relation_mention=r["id"],
            ),
        )


def _event_edges(
    store: Store, found: _Edges, doc_id: int | None, period: Period, between: dict
) -> None:
    tellings: dict[int, dict] = {}
    for r in store.conn.execute(
        "SELECT em.id, em.doc_id, em.type, em.evidence_start, em.evidence_end,"
        " COALESCE(em.date_lower, ev.date_lower) AS lower,"
        " COALESCE(em.date_upper, ev.date_upper) AS upper,"
        " el.event_id, m.entity_id FROM event_mentions em"
        " JOIN event_roles er ON er.event_mention_id = em.id"
        " JOIN mentions m ON m.doc_id = em.doc_id AND m.idx = er.mention_idx"
        " LEFT JOIN event_links el ON el.event_mention_id = em.id"
        " LEFT JOIN events ev ON ev.id = el.event_id"
        " WHERE m.entity_id IS NOT NULL AND (:doc IS NULL OR em.doc_id = :doc)"
        + _in_pair("m.entity_id", between)
        + " ORDER BY em.id",
        {"doc": doc_id, **between},
    ):
        if not period.meets(r["lower"], r["upper"]):
            continue
        t = tellings.setdefault(r["id"], {"row": r, "entities": set()})
        t["entities"].add(r["entity_id"])
    for em_id, t in tellings.items():
        r, ids = t["row"], sorted(t["entities"])
        if len(ids) < 2:
            continue
        group = ("e", r["event_id"]) if r["event_id"] is not None else ("em", em_id)
        passage = _passage(
            r["doc_id"],
            r["evidence_start"],
            r["evidence_end"],
            f"e-{em_id}",
            event_mention=em_id,
            event=r["event_id"],
        )
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                found.get_edge(a, b, "event", r["type"], False).add(group, passage)


def _sentence_edges(store: Store, found: _Edges, doc_id: int | None, between: dict) -> None:
    for r in store.conn.execute(
        "SELECT a.entity_id AS a, b.entity_id AS b, a.doc_id, a.sentence, a.id AS mention,"
        ' s.start, s."end" FROM mentions a'
        " JOIN mentions b ON b.doc_id = a.doc_id AND b.sentence = a.sentence"
        " AND b.entity_id > a.entity_id"
        " LEFT JOIN sentences s ON s.doc_id = a.doc_id AND s.idx = a.sentence"
        " WHERE a.entity_id IS NOT NULL AND (:doc IS NULL OR a.doc_id = :doc)"
        + _in_pair("a.entity_id", between)
        + _in_pair("b.entity_id", between),
        {"doc": doc_id, **between},
    ):
        start = r["start"] if r["start"] is not None else 0
        end = r["end"] if r["end"] is not None else 0
        found.get_edge(r["a"], r["b"], "sentence", "same sentence", False).add(
            ("s", r["doc_id"], r["sentence"]),
            _passage(r["doc_id"], start, end, f"m-{r['mention']}"),
        )


def _entities(store: Store, ids) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for chunk in batches(list(ids)):
        for r in store.conn.execute(
            "SELECT id, name, type, identifier, mention_count, doc_count FROM entities WHERE id IN"
            f" ({placeholders(chunk)})",
            chunk,
        ):
            out[r["id"]] = dict(r)
    return out


def _fill_passages(store: Store, passages: list[dict]) -> None:
    """Give each passage its document name and text (read once per document)."""
    by_doc: dict[int, list[dict]] = {}
    for p in passages:
        by_doc.setdefault(p["doc"], []).append(p)
    for doc_id, items in by_doc.items():
        row = store.conn.execute(
            "SELECT name, text FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        for p in items:
            p["name"] = row["name"] if row else None
            p["text"] = row["text"][p["start"] : p["end"]] if row else None


def graph(
    store: Store,
    *,
    types=DEFAULT_TYPES,
    kinds=DEFAULT_KINDS,
    doc_id: int | None = None,
    period: Period = Period(),
    limit: int = 300,
    isolated: bool = False,
    ego: int | None = None,
    hops: int = 1,
    passages: bool = False,
) -> dict:
    """Nodes and edges for the network view.

    Nodes are entities of `types`; at most `limit` of them, the best linked first (then the
    most mentioned). With `ego`, only the entities within `hops` edges of that one (it always
    stays). With `isolated`, entities without an edge fill the remaining places (when a
    document is chosen, only those it names). With `passages`, each edge carries its first
    passages with the document name and text (else ask `edge_passages` for one edge).
    """
    types = tuple(t.upper() for t in types)
    all_edges = edges(store, kinds=kinds, doc_id=doc_id, period=period)
    entities = _entities(store, {e.source for e in all_edges} | {e.target for e in all_edges})
    kept_edges = [
        e
        for e in all_edges
        if entities.get(e.source, {}).get("type") in types
        and entities.get(e.target, {}).get("type") in types
    ]
    if ego is not None:
        kept_edges = _within_hops(kept_edges, ego, hops)
        entities.update(_entities(store, [ego]))
    degree: dict[int, int] = {}
    for e in kept_edges:
        degree[e.source] = degree.get(e.source, 0) + e.count
        degree[e.target] = degree.get(e.target, 0) + e.count
    linked = sorted(degree, key=lambda i: (i != ego, -degree[i], -entities[i]["mention_count"], i))
    node_ids = linked[:limit]
    if ego is not None and not node_ids and ego in entities:
        node_ids = [ego]  # alone: show it, and that nothing links to it
    if isolated and ego is None and len(node_ids) < limit and types:
        node_ids += _unlinked(store, types, doc_id, set(node_ids), limit - len(node_ids))
        entities.update(_entities(store, [i for i in node_ids if i not in entities]))
    keep = set(node_ids)
    kept_edges = [e for e in kept_edges if e.source in keep and e.target in keep]
    if passages:
        _fill_passages(store, [p for e in kept_edges for p in e.evidence])
    links: dict[int, set[int]] = {}
    for e in kept_edges:
        links.setdefault(e.source, set()).add(e.target)
        links.setdefault(e.target, set()).add(e.source)
    nodes = [
        {**entities[i], "degree": degree.get(i, 0), "links": len(links.get(i, ()))}
        for i in node_ids
    ]
    return {
        "nodes": nodes,
        "edges": [e.to_dict(evidence=passages) for e in kept_edges],
        "filters": {
            "types": list(types),
            "kinds": list(kinds),
            "doc": doc_id,
            "from": period.lower,
            "to": period.upper,
            "limit": limit,
            "isolated": isolated,
            "ego": ego,
            "hops": hops if ego is not None else None,
        },
    }


def _within_hops(found: list[Edge], ego: int, hops: int) -> list[Edge]:
    """The edges among the entities at most `hops` edges away from `ego`."""
    adjacency: dict[int, set[int]] = {}
    for e in found:
        adjacency.setdefault(e.source, set()).add(e.target)
        adjacency.setdefault(e.target, set()).add(e.source)
    reached, frontier = {ego}, {ego}
    for _ in range(hops):
        frontier = {n for f in frontier for n in adjacency.get(f, ())} - reached
        reached |= frontier
    return [e for e in found if e.source in reached and e.target in reached]


def _unlinked(store: Store, types, doc_id: int | None, chosen: set[int], room: int) -> list[int]:
    """Up to `room` more entities of `types`, the most mentioned first (of the document, if
    one is chosen), for a view that shows the isolated too."""
    q = ",".join("?" * len(types))
    if doc_id is None:
        rows = store.conn.execute(
            f"SELECT id FROM entities WHERE type IN ({q}) ORDER BY mention_count DESC, id LIMIT ?",
            (*types, room + len(chosen)),
        )
    else:
        rows = store.conn.execute(
            f"SELECT DISTINCT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id"
            f" WHERE m.doc_id = ? AND e.type IN ({q}) ORDER BY e.mention_count DESC, e.id"
            " LIMIT ?",
            (doc_id, *types, room + len(chosen)),
        )
    return [r[0] for r in rows if r[0] not in chosen][:room]


def edge_passages(
    store: Store,
    a: int,
    b: int,
    *,
    kinds=DEFAULT_KINDS,
    doc_id: int | None = None,
    period: Period = Period(),
    per_edge: int = 20,
) -> dict:
    """What links `a` and `b` under the same filters as the network: every edge between
    them (strongest kind first) with up to `per_edge` passages each, quoted."""
    found = edges(store, kinds=kinds, doc_id=doc_id, period=period, pair=(a, b), keep=per_edge)
    found.sort(key=lambda e: (EDGE_KINDS.index(e.kind), -e.count, e.type))
    out = [e.to_dict() for e in found]
    _fill_passages(store, [p for e in out for p in e["evidence"]])
    names = _entities(store, [a, b])
    return {"source": names.get(a), "target": names.get(b), "edges": out}


def node_summary(store: Store, entity_id: int, *, aliases: int = 8) -> dict | None:
    """What the network's side panel says of an entity: counts, its most used names, how its
    relations and events add up, and the span of its dated events."""
    conn = store.conn
    row = conn.execute(
        "SELECT id, name, type, identifier, mention_count, doc_count FROM entities WHERE id = ?",
        (entity_id,),
    ).fetchone()
    if row is None:
        return None
    names = [
        {"name": r[0], "count": r[1]}
        for r in conn.execute(
            "SELECT alias, count FROM aliases WHERE entity_id = ? ORDER BY count DESC, alias"
            " LIMIT ?",
            (entity_id, aliases),
        )
    ]
    relations = [
        {"predicate": r[0], "count": r[1]}
        for r in conn.execute(
            "SELECT predicate, COUNT(*) FROM relations"
            " WHERE subject_entity_id = :e OR object_entity_id = :e"
            " GROUP BY predicate ORDER BY COUNT(*) DESC, predicate",
            {"e": entity_id},
        )
    ]
    events = [
        {"type": r[0], "count": r[1], "from": r[2], "to": r[3]}
        for r in conn.execute(
            "SELECT ev.type, COUNT(*), MIN(ev.date_lower), MAX(ev.date_upper) FROM events ev"
            " WHERE ev.place_entity_id = :e OR EXISTS (SELECT 1 FROM json_each(ev.roles) r,"
            " json_each(r.value) v WHERE v.value = :e)"
            " GROUP BY ev.type ORDER BY COUNT(*) DESC, ev.type",
            {"e": entity_id},
        )
    ]
    return {**dict(row), "aliases": names, "relations": relations, "events": events}


def shortest_paths(
    store: Store,
    source: int,
    target: int,
    *,
    kinds=DEFAULT_KINDS,
    max_paths: int = 10,
    max_hops: int = 6,
    fallback_to_sentences: bool = True,
) -> dict:
    """All shortest paths (at most `max_paths`) from entity `source` to entity `target`.

    Each hop lists the edges joining its two entities with the passages behind them. When
    relations and events do not connect the two and `fallback_to_sentences` is set, names in
    the same sentence are allowed too, and `kinds` in the answer says so.
    """
    result = _paths(store, source, target, kinds, max_paths, max_hops)
    if not result["paths"] and fallback_to_sentences and "sentence" not in kinds:
        widened = _paths(store, source, target, (*kinds, "sentence"), max_paths, max_hops)
        if widened["paths"]:
            widened["widened"] = True
            return widened
    return result


def _paths(store: Store, source: int, target: int, kinds, max_paths: int, max_hops: int) -> dict:
    all_edges = edges(store, kinds=kinds)
    adjacency: dict[int, dict[int, list[Edge]]] = {}
    for e in all_edges:
        adjacency.setdefault(e.source, {}).setdefault(e.target, []).append(e)
        adjacency.setdefault(e.target, {}).setdefault(e.source, []).append(e)
    # breadth first from the source, keeping every predecessor on a shortest route
    distance = {source: 0}
    parents: dict[int, list[int]] = {source: []}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target or distance[node] >= max_hops:
            continue
        for nxt in sorted(adjacency.get(node, {})):
            if nxt not in distance:
                distance[nxt] = distance[node] + 1
                parents[nxt] = [node]
                queue.append(nxt)
            elif distance[nxt] == distance[node] + 1:
                parents[nxt].append(node)
    routes: list[list[int]] = []
    if target in distance and source != target:

        def walk(node: int, tail: list[int]) -> None:
            if len(routes) >= max_paths:
                return
            if node == source:
                routes.append([source, *tail])
                return
            for p in parents[node]:
                walk(p, [node, *tail])

        walk(target, [])
    ids = {source, target} | {n for r in routes for n in r}
    names = _entities(store, ids)
    paths = []
    passages = []
    for route in routes:
        hops = []
        for a, b in zip(route, route[1:]):
            joined = sorted(adjacency[a][b], key=lambda e: (EDGE_KINDS.index(e.kind), -e.count))
            hop_edges = [e.to_dict() for e in joined]
            passages += [p for e in hop_edges for p in e["evidence"]]
            hops.append({"from": names.get(a), "to": names.get(b), "edges": hop_edges})
        paths.append({"length": len(route) - 1, "hops": hops})
    _fill_passages(store, passages)
    return {
        "source": names.get(source),
        "target": names.get(target),
        "kinds": list(kinds),
        "length": distance.get(target) if routes else None,
        "paths": paths,
        "widened": False,
    }


def _pick(store: Store, text: str) -> tuple[dict | None, list[dict]]:
    """The entity a user means by a name, alias or id (the most mentioned if several) and the
    others that also answer to it."""
    found = find_entities(store, text or "")
    return (found[0] if found else None), found[1:10]


def path_between(
    store: Store, a: str, b: str, *, sentences: bool = False, max_paths: int = 10
) -> dict:
    """The shortest paths between the entities named `a` and `b` (see `shortest_paths`);
    `source`/`target` are None when a name finds no entity."""
    source, source_others = _pick(store, a)
    target, target_others = _pick(store, b)
    out = {
        "a": a,
        "b": b,
        "source": source,
        "target": target,
        "source_others": source_others,
        "target_others": target_others,
        "result": None,
    }
    if source and target:
        kinds = (*DEFAULT_KINDS, "sentence") if sentences else DEFAULT_KINDS
        out["result"] = shortest_paths(
            store, source["id"], target["id"], kinds=kinds, max_paths=max_paths
        )
    return out
