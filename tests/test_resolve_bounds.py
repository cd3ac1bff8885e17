"""Resolution memory is bounded per name block (issue 12 item 10): a document listing
thousands of "General Smith{i}" rows once took 4 GB at 4,000 rows and 7 GB at 8,000; now the
block is kept apart by exact name, a few names are offered for review, and a warning names it.
"""

from __future__ import annotations

import tracemalloc

from kartoteka.resolve import MentionRecord, ResolveConfig, resolve


def _table(rows: int, doc: str = "table.html") -> list[MentionRecord]:
    """One document of `rows` rows, each naming another "General Smith{i}"."""
    mentions = []
    for i in range(rows):
        text = f"General Smith{i}"
        row = f"{text} reported for duty."
        mentions.append(
            MentionRecord(
                id=i,
                doc=doc,
                start=i * 40,
                end=i * 40 + len(text),
                text=text,
                name=f"Smith{i}",
                type="PER",
                title="General",
                context=row,
                context_start=0,
            )
        )
    return mentions


def _peak_bytes(mentions: list[MentionRecord]) -> int:
    tracemalloc.start()
    try:
        resolve(mentions)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_grows_about_linearly_with_a_crowded_name_block():
    small, large = 1500, 3000
    # the name data, and the caches of what each name parses to, are filled by a first
    # run: not what grows with a block (measured after it, the two differ by the rows alone)
    resolve(_table(large))
    ratio = _peak_bytes(_table(large)) / _peak_bytes(_table(small))
    # twice the rows: twice the memory when linear, four times when every pair is scored
    assert ratio < 2.6, ratio


def test_a_crowded_block_is_kept_apart_suggested_and_named_in_a_warning():
    rows = 400
    resolution = resolve(_table(rows))
    assert len(resolution.entities) == rows  # one per exact name
    assert resolution.warnings and all("table.html" in w for w in resolution.warnings)
    assert any(f"{rows} names share the name key" in w for w in resolution.warnings)
    assert resolution.suggestions
    assert all(s.features.get("crowded_block") for s in resolution.suggestions)
    assert all(s.score < ResolveConfig().merge_threshold for s in resolution.suggestions)


def test_the_bound_is_a_setting_and_a_block_under_it_is_scored_as_before():
    rows = 40
    scored = resolve(_table(rows), config=ResolveConfig(max_name_block=rows))
    bounded = resolve(_table(rows), config=ResolveConfig(max_name_block=rows - 1))
    assert not scored.warnings and bounded.warnings
    # scored pair by pair, the look-alike surnames merge; bounded, they stay apart
    assert len(scored.entities) < rows == len(bounded.entities)


def test_the_warning_reaches_whoever_runs_the_corpus_stages(tmp_path):
    from kartoteka.corpus import resolve_corpus
    from kartoteka.store import Store
    from tests.test_incremental import put

    rows = " ".join(
        f"{{General Smith{i}}} reported." for i in range(ResolveConfig().max_name_block + 5)
    )
    warnings: list[str] = []
    with Store.open(tmp_path / "k.db") as store:
        put(store, "table.html", rows)
        resolve_corpus(store, on_warning=warnings.append)
    assert len(warnings) >= 1 and all("table.html" in w for w in warnings)
