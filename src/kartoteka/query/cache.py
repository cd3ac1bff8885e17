"""A cache of expensive reads (the network, the timeline, the map), kept while the store's
corpus generation stays the same.

What those views read (entities, events, relations, mentions) changes only when documents
are written (the corpus-stages marker is set) and when the corpus stages commit (the
generation changes: after an ingest, a curation decision, an authority load). So a result
keyed on both, plus the question asked, is right for as long as it is found, whichever
process changed the store. A read costs one lookup in `settings`; nothing is ever written.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from kartoteka.store import Store, corpus_generation

T = TypeVar("T")

__all__ = ["QueryCache"]


class QueryCache:
    """Least recently used results, at most `max_entries` of them and about `max_bytes`.

    >>> cache, calls = QueryCache(), []
    >>> store = Store.open(":memory:")
    >>> cache.get(store, ("answer",), lambda: calls.append(1) or 42)
    42
    >>> cache.get(store, ("answer",), lambda: calls.append(1) or 42), len(calls)
    (42, 1)
    """

    def __init__(self, max_entries: int = 64, max_bytes: int = 256 * 1024 * 1024):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        # (store path, corpus generation, key) -> (value, size)
        self._items: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, store: Store, key: Hashable, make: Callable[[], T]) -> T:
        """The cached result of `make()` for `key` on the store as it is now; made (outside
        the lock: two threads may both make it, the later one is kept) when missing."""
        full_key = (store.path, corpus_generation(store), key)
        with self._lock:
            found = self._items.get(full_key)
            if found is not None:
                self._items.move_to_end(full_key)
                self.hits += 1
                return found[0]  # type: ignore[return-value]
            self.misses += 1
        value = make()
        size = len(value) if isinstance(value, bytes | str) else sys.getsizeof(value)
        if size > self.max_bytes:
            return value
        with self._lock:
            # results of an older generation of this store will never be asked for again
            for stale in [k for k in self._items if k[0] == full_key[0] and k[1] != full_key[1]]:
                self._bytes -= self._items.pop(stale)[1]
            old = self._items.pop(full_key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[full_key] = (value, size)
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
