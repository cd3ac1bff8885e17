"""Worker processes on this machine (the standard library's process pool).

Workers are started with `spawn`: a clean interpreter each, which imports what the work needs
and loads it once (the spaCy pipeline is cached per process), and never inherits the
writer's open store or threads. Each worker keeps its numerical libraries to one thread, so
N workers on N cores do not fight over them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from kartoteka.engines.ordered import ordered_map

#: Environment a worker starts with: one thread for BLAS/OpenMP. It must be there when the
#: process starts: a worker may import numpy before any code of ours runs in it (spawn
#: imports the parent's main module first).
_ONE_THREAD = {
    name: "1"
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
}


@contextmanager
def _one_thread_environment() -> Iterator[None]:
    """The environment workers are started in, for as long as they are being started."""
    saved = {name: os.environ.get(name) for name in _ONE_THREAD}
    os.environ.update({k: v for k, v in _ONE_THREAD.items() if saved[k] is None})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)


class ProcessPool:
    """`workers` processes; at most two batches per worker in flight, so a worker never waits
    for the writer and the texts in memory stay bounded."""

    def __init__(self, workers: int):
        self.parallelism = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.parallelism,
            mp_context=multiprocessing.get_context("spawn"),
        )

    def _recover(self) -> None:
        """A worker died and took the pool with it: start a new one."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        self._start_all(os.getpid)

    def _start_all(self, fn: Callable, *args: Any) -> list[Future]:
        """Submit `fn(*args)` once per worker: the pool starts a process per submission
        until it has them all (in the environment they must start in)."""
        with _one_thread_environment():
            return [self._pool.submit(fn, *args) for _ in range(self.parallelism)]

    def call(self, fn: Callable, *args: Any) -> Any:
        """Run `fn(*args)` on every worker at once (what it loads, each loads in parallel
        instead of one after another as the work reaches them); the first answer."""
        return [f.result() for f in self._start_all(fn, *args)][0]

    def map(
        self, fn: Callable, batches: Iterable[Sequence], *args: Any
    ) -> Iterator[tuple[Sequence, list]]:
        return ordered_map(
            lambda f, batch, *a: self._pool.submit(f, batch, *a),
            fn,
            batches,
            args,
            window=2 * self.parallelism,
            lost=(BrokenProcessPool,),
            recover=self._recover,
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
