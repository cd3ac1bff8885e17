"""The ordered window both parallel engines share: keep a few batches in flight, hand results
back in the order the batches came, and retry the batches whose worker died, item by item."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from kartoteka.engines.common import WorkerLost

#: submit(fn, batch, *args) -> a future with .result()
Submit = Callable[..., Any]


def ordered_map(
    submit: Submit,
    fn: Callable,
    batches: Iterable[Sequence],
    args: tuple,
    *,
    window: int,
    lost: tuple[type[BaseException], ...],
    recover: Callable[[], None],
) -> Iterator[tuple[Sequence, list]]:
    """(batch, results) in the order of `batches`, with at most `window` batches in flight.

    When a result raises one of `lost` (the worker died), `recover()` makes the engine usable
    again, and every batch that was in flight is tried again one item at a time; an item
    whose worker dies again comes back as `WorkerLost`. Any other exception propagates."""
    pending: deque[tuple[Sequence, Any]] = deque()
    source = iter(batches)
    exhausted = False
    while True:
        while not exhausted and len(pending) < window:
            batch = next(source, None)
            if batch is None:
                exhausted = True
                break
            pending.append((batch, _submitted(submit, fn, batch, args, lost)))
        if not pending:
            return
        batch, future = pending.popleft()
        try:
            results = future.result()
        except lost as e:
            recover()
            # everything in flight died with the worker (or with the pool): retry it all
            again = [batch, *(b for b, _ in pending)]
            pending.clear()
            for retried in again:
                yield retried, _one_by_one(submit, fn, retried, args, lost, recover, e)
            continue
        yield batch, results


class _Lost:
    """A batch that could not even be handed out: the worker that died took the pool with it
    before its own result was read. It fails as a future would, when its result is asked."""

    def __init__(self, error: BaseException):
        self.error = error

    def result(self) -> Any:
        raise self.error


def _submitted(submit: Submit, fn: Callable, batch: Sequence, args: tuple, lost: tuple) -> Any:
    try:
        return submit(fn, batch, *args)
    except lost as e:
        return _Lost(e)


def _one_by_one(
    submit: Submit,
    fn: Callable,
    batch: Sequence,
    args: tuple,
    lost: tuple[type[BaseException], ...],
    recover: Callable[[], None],
    first: BaseException,
) -> list:
    """Each item alone, twice at most: which item of a batch killed its worker is not known,
    and an item that was only in flight when another one did deserves a try of its own."""
    out: list = []
    for item in batch:
        for attempt in range(2):
            try:
                out.extend(submit(fn, [item], *args).result())
                break
            except lost as e:
                recover()
                if attempt:
                    out.append(WorkerLost(f"the process working on it died ({e or first!r})"))
    return out
