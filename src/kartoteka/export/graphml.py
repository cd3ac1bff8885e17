"""GraphML (Cytoscape, Gephi, yEd): the network of `export.graph`, written by networkx."""

from __future__ import annotations

from typing import IO

import networkx as nx

from kartoteka.export.graph import build_graph
from kartoteka.export.json import export_data
from kartoteka.store import Store


def write_graphml(store: Store, out: IO[str]) -> None:
    for line in nx.generate_graphml(build_graph(export_data(store))):
        out.write(line + "\n")
