"""Where per-document work runs: in this process, in worker processes on this machine, or on
a Dask cluster. The caller stays the one writer: it hands batches out and gets the results
back in the order it handed them, whatever ran them and however many.

Every engine runs a function that takes a list and returns a list of the same length (one
result per item), so a batch whose worker died can be split and its items tried one by one:
an item that kills its worker twice comes back as `WorkerLost`, and the rest go on.

The engines import nothing heavy (no spaCy, no Dask) until they are opened.
"""

from __future__ import annotations

import os

from kartoteka.engines.common import ClusterError, Engine, InProcess, WorkerLost

__all__ = ["ClusterError", "Engine", "InProcess", "WorkerLost", "open_engine", "default_workers"]


def default_workers() -> int:
    """The cores this process may run on (a container's or a job scheduler's limit counts)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def open_engine(workers: int | None = 1, cluster: str | None = None) -> Engine:
    """An engine: a Dask cluster at `cluster` (an address such as tcp://host:8786), else
    `workers` processes on this machine (None: one per core), else this process when
    `workers` is 1."""
    if cluster:
        from kartoteka.engines.dask import DaskCluster

        return DaskCluster(cluster)
    count = default_workers() if workers is None else workers
    if count < 1:
        raise ValueError(f"workers must be at least 1, not {count}")
    if count == 1:
        return InProcess()
    from kartoteka.engines.processes import ProcessPool

    return ProcessPool(count)
