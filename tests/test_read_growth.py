"""Every reader and cleaner is linear in its input (issue 12, failures 9, 11 and 12).

Each case is a hostile input that made a pattern backtrack or rescan: a run of spaces on a
line (the page-number pattern was cubic in it), unclosed `<script>`, `<!--`, `<title>`, tags
with no `>`, Markdown brackets that never close, many edits for the overlap check. The test
reads the input at two sizes, `FACTOR` apart, in one run, and checks the time grows about as
the input does: a ratio, not an absolute time, so a slow machine does not fail it.
"""

from __future__ import annotations

import time
import timeit

import pytest

from kartoteka.read import read_text
from kartoteka.read.decode import decode

FACTOR = 8
#: linear growth gives FACTOR; quadratic gives FACTOR squared (64). The margin is for noise
#: on a shared machine and for n log n sorting.
MAX_RATIO = FACTOR * 3


def seconds(call, enough: float = 0.02) -> float:
    """Per-call CPU time of this thread (other processes on a busy machine do not count):
    the best of three runs of a loop long enough to time."""
    timer = timeit.Timer(call, timer=time.thread_time)
    number = 1
    while timer.timeit(number) < enough:
        number *= 2
    return min(timer.repeat(3, number)) / number


CASES = {
    # issue: 1,600 spaces on one line took 37 s in the page-number pattern
    "spaces on a line": ("text", lambda n: "Page one.\n" + " " * n + "\nThe end.\n", 40),
    "spaces before a word": ("text", lambda n: "-" + " " * n + "x\n", 40),
    "many lines of spaces": ("text", lambda n: (" " * 30 + "\n") * n, 100),
    # issue: 4,000 unclosed <script>, <!-- or <title> took 10-18 s, 20,000 over 5 minutes
    "unclosed script": ("html", lambda n: "<p>Text</p>" + "<script>x " * n, 100),
    "unclosed comment": ("html", lambda n: "<p>Text</p>" + "<!-- x " * n, 100),
    "unclosed title": ("html", lambda n: "<p>Text</p>" + "<title>x " * n, 100),
    "unclosed style": ("html", lambda n: "<p>Text</p>" + "<style>x " * n, 100),
    "unclosed head": ("html", lambda n: "<p>Text</p>" + "<head>x " * n, 100),
    "unclosed h1": ("html", lambda n: "<p>Text</p>" + "<h1>x " * n, 100),
    "tags without >": ("html", lambda n: "<p>Text</p>" + "<a x " * n, 100),
    "processing instructions": ("html", lambda n: "<p>Text</p>" + "<?x " * n, 100),
    "markdown brackets": ("markdown", lambda n: "Text " + "[x " * n, 100),
    "markdown link ends": ("markdown", lambda n: "Text " + "[x](y " * n, 100),
    # many small edits: the overlap check compared every edit with every other
    "many footnote markers": ("text", lambda n: "He left.fn3 Then " * n, 200),
    "many wrapped lines": ("text", lambda n: "a line of words that goes on\nand on\n" * n, 200),
}


@pytest.mark.parametrize("name", list(CASES))
def test_reading_time_grows_linearly(name):
    kind, make, n = CASES[name]
    small, large = make(n), make(n * FACTOR)

    def read(text):
        try:
            read_text(text, name="x", kind=kind)
        except Exception:  # a text with nothing left to read is refused, which is fine
            pass

    ratio = seconds(lambda: read(large)) / seconds(lambda: read(small))
    assert ratio < MAX_RATIO, f"{name}: {FACTOR}x the input took {ratio:.0f}x the time"


def test_a_long_single_line_reads_in_linear_time():
    # issue: a 50 MB single-line file ran for 7 minutes; the reading part must be linear
    line = "Molotov met Ribbentrop in Moscow on 23 August 1939 and they signed. "
    small = (line * 2000).encode()
    large = small * FACTOR

    def read(data):
        text = decode(data, "x.txt").text
        read_text(text, name="x.txt")

    ratio = seconds(lambda: read(large)) / seconds(lambda: read(small))
    assert ratio < MAX_RATIO


def test_many_bad_bytes_are_scanned_in_linear_time():
    # a file of legacy bytes: finding where UTF-8 fails must not start again from the top
    unit = "Le café était fermé. ".encode("cp1252")
    small, large = unit * 200, unit * 200 * FACTOR
    ratio = seconds(lambda: decode(large, "x")) / seconds(lambda: decode(small, "x"))
    assert ratio < MAX_RATIO
