"""What every engine shares: the result of an item whose worker died, the engine's shape, and
the engine that runs everything here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

Item = TypeVar("Item")
BatchFunction = Callable[..., list]


class ClusterError(Exception):
    """The cluster cannot be used (Dask missing, scheduler unreachable, no workers)."""


@dataclass(frozen=True)
class WorkerLost:
    """The process working on this item died (killed, out of memory, a crash in native
    code) every time it was tried."""

    reason: str


class Engine(Protocol):
    """Runs `fn(items, *args)` somewhere and gives back its results in order."""

    #: how many items or batches may usefully be in flight at once
    parallelism: int

    def call(self, fn: Callable, *args: Any) -> Any:
        """Run `fn(*args)` once where the work runs (to load and describe what it needs)."""
        ...

    def map(
        self, fn: BatchFunction, batches: Iterable[Sequence[Item]], *args: Any
    ) -> Iterator[tuple[Sequence[Item], list]]:
        """(batch, fn(batch, *args)) for every batch, in the order given."""
        ...

    def close(self) -> None: ...


class InProcess:
    """Everything here, one batch after another: no process to start, nothing to ship."""

    parallelism = 1

    def call(self, fn: Callable, *args: Any) -> Any:
        return fn(*args)

    def map(
        self, fn: BatchFunction, batches: Iterable[Sequence[Item]], *args: Any
    ) -> Iterator[tuple[Sequence[Item], list]]:
        for batch in batches:
            yield batch, fn(batch, *args)

    def close(self) -> None:
        pass

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
