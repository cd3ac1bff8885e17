"""The network of the index as a networkx graph, for the GEXF and GraphML exports.

Nodes are entities (label, type, mention and document counts, identifier, aliases). Edges are
directed and parallel edges are kept (a MultiDiGraph), one per relation (subject -> object,
typed by its predicate) and one per pair of an event's participants (from each agent to each
other participant; without an agent, between the participants in order), typed by the event
type. Every edge has `kind` (relation | event), `label` (its type: the predicate or the event
type; not `type`, which GEXF keeps for directed/undirected), `weight` (the number of documents
that state it) and, for events, the event id and the EDTF `date` with its ISO bounds
`date_from`/`date_to`.
"""

from __future__ import annotations

import networkx as nx

from kartoteka.export.shared import date_bounds, events_once, participants, sources


def build_graph(data: dict) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name="kartoteka")
    for entity in data["entities"]:
        attrs = {
            "label": entity["name"],
            "type": entity["type"],
            "mentions": len(entity["mentions"]),
            "documents": len({m["doc"] for m in entity["mentions"]}),
            "aliases": "; ".join(entity["aliases"]),
        }
        if entity.get("identifier"):
            attrs["identifier"] = entity["identifier"]
        graph.add_node(entity["id"], **attrs)

    for relation in data["relations"]:
        a, b = relation["subject"], relation["object"]
        if a in graph and b in graph and a != b:
            graph.add_edge(
                a,
                b,
                key=f"relation-{relation['id']}",
                kind="relation",
                label=relation["predicate"],
                weight=max(sources(relation["evidence"]), 1),
            )

    for event in events_once(data):
        people = [i for i in participants(event) if i in graph]
        agents = [i for i in event["roles"].get("agent", []) if i in graph]
        pairs = (
            [(a, b) for a in agents for b in people if b != a]
            if agents
            else [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]
        )
        lower, upper = date_bounds(event.get("date"))
        for a, b in pairs:
            attrs = {
                "kind": "event",
                "label": event["type"],
                "weight": max(event.get("sources") or sources(event["evidence"]), 1),
                "event": event["id"],
            }
            for key, value in (
                ("date", event.get("date")),
                ("date_from", lower),
                ("date_to", upper),
            ):
                if value:
                    attrs[key] = value
            graph.add_edge(a, b, key=f"event-{event['id']}-{a}-{b}", **attrs)
    return graph


def view_graph(network: dict) -> nx.MultiDiGraph:
    """The network page's graph (`kartoteka.query.network.graph`: filtered, one edge per
    pair, kind and type) for GEXF and GraphML, with the attribute names of `build_graph`:
    nodes `label`, `type`, `mentions`, `documents`; edges `kind`, `label`, `weight` (the
    documents stating it) and `count` (its tellings)."""
    graph = nx.MultiDiGraph(name="kartoteka network")
    for node in network["nodes"]:
        attrs = {
            "label": node["name"],
            "type": node["type"],
            "mentions": node["mention_count"],
            "documents": node["doc_count"],
        }
        if node.get("identifier"):
            attrs["identifier"] = node["identifier"]
        graph.add_node(node["id"], **attrs)
    for edge in network["edges"]:
        graph.add_edge(
            edge["source"],
            edge["target"],
            key=f"{edge['kind']}-{edge['type']}",
            kind=edge["kind"],
            label=edge["type"],
            weight=max(edge["sources"], 1),
            count=edge["count"],
        )
    return graph
