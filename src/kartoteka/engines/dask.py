"""A Dask distributed cluster (`dask scheduler` and `dask worker` on any machines; see
docs/scale.md).

Dask ships the function by reference (workers need kartoteka installed, nothing else) and
the batch by value; the results come back here, to the one writer. A worker that dies while
it holds a batch is Dask's to handle: the scheduler gives the batch to another worker, up to
its `allowed-failures`, then reports the batch lost (`KilledWorker`), and the batch is tried
again item by item so that only the item that kills workers is given up.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from kartoteka.engines.common import ClusterError
from kartoteka.engines.ordered import ordered_map

#: How long to wait for the scheduler to answer before saying it cannot be reached.
CONNECT_SECONDS = 10


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "--cluster needs Dask: pip install 'kartoteka[cluster]' (here and on every worker)"
        ) from None
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({e}); start it with "
            "`dask scheduler` and give its address (tcp://HOST:8786)"
        ) from None


class DaskCluster:
    def __init__(self, address: str):
        from distributed import KilledWorker

        self.address = address
        self._client = _client(address)
        self._lost = (KilledWorker,)
        self._run = uuid.uuid4().hex[:12]
        self._numbers = itertools.count()
        threads = sum(self._client.nthreads().values())
        if not threads:
            self._client.close()
            raise ClusterError(
                f"the Dask scheduler at {address} has no workers; start some with "
                f"`dask worker {address}`"
            )
        self.parallelism = threads

    def _submit(self, fn: Callable, *args: Any):
        return self._client.submit(fn, *args, key=self._key(fn), pure=False)

    def call(self, fn: Callable, *args: Any) -> Any:
        """Run `fn(*args)` once on every worker (each loads what it needs now, all at once);
        the first answer."""
        futures = [
            self._client.submit(
                fn, *args, key=self._key(fn), pure=False, workers=[w], allow_other_workers=True
            )
            for w in self._client.nthreads()
        ]
        return [f.result() for f in futures][0]

    def _key(self, fn: Callable) -> str:
        # a key of our own: Dask would hash the whole batch of texts to make one
        return f"kartoteka-{fn.__name__}-{self._run}-{next(self._numbers)}"

    def map(
        self, fn: Callable, batches: Iterable[Sequence], *args: Any
    ) -> Iterator[tuple[Sequence, list]]:
        return ordered_map(
            self._submit,
            fn,
            batches,
            args,
            window=2 * self.parallelism,
            lost=self._lost,
            recover=lambda: None,  # the scheduler has already moved on to the other workers
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
