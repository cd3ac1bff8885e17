"""GEXF 1.2 (Gephi): the network of `export.graph`, written by networkx."""

from __future__ import annotations

from typing import IO

import networkx as nx

from kartoteka.export.graph import build_graph
from kartoteka.export.json import export_data
from kartoteka.store import Store


def write_gexf(store: Store, out: IO[str]) -> None:
    for line in nx.generate_gexf(build_graph(export_data(store)), version="1.2draft"):
        out.write(line + "\n")
