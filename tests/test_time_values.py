"""bounds/overlaps over EDTF values: the helpers events and timeline code compare dates with."""

import pytest

from kartoteka.time.values import bounds, edtf_to_timex3, is_valid, overlaps


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1937-09-04", ("1937-09-04", "1937-09-04")),
        ("1937-07", ("1937-07-01", "1937-07-31")),
        ("1936-02", ("1936-02-01", "1936-02-29")),
        ("1937", ("1937-01-01", "1937-12-31")),
        ("1937-21", ("1937-03-01", "1937-05-31")),
        ("1937-22", ("1937-06-01", "1937-08-31")),
        ("1937-23", ("1937-09-01", "1937-11-30")),
        ("1937-24", ("1937-12-01", "1938-02-28")),
        ("193X", ("1930-01-01", "1939-12-31")),
        ("19XX", ("1900-01-01", "1999-12-31")),
        ("../1935", (None, "1935-12-31")),
        ("1935/..", ("1935-01-01", None)),
        ("1936-12/1937-01", ("1936-12-01", "1937-01-31")),
        ("1937-07~", ("1937-06-16", "1937-08-15")),
        ("1937~", ("1936-01-01", "1938-12-31")),
        ("1937?", ("1937-01-01", "1937-12-31")),
        ("1937-09-04T05:00:00", ("1937-09-04", "1937-09-04")),
    ],
)
def test_bounds(value, expected):
    assert bounds(value) == expected


@pytest.mark.parametrize("value", ["1937-02-30", "1937-13", "September 1937", "1938/1937", ""])
def test_bounds_rejects_what_is_not_edtf(value):
    with pytest.raises(ValueError):
        bounds(value)
    assert not is_valid(value)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("1937-09-04", "1937-09", True),
        ("1937-22", "1937-09-04", False),
        ("../1935", "1936", False),
        ("../1935", "1934-05-01", True),
        ("1937-07~", "1937-08-10", True),
        ("1937-07", "1937-08-10", False),
        ("1936-12~/1937-01~", "1937-01-15", True),
        ("193X", "1941", False),
    ],
)
def test_overlaps(a, b, expected):
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1937-22", ("1937-SU", None)),
        ("1937-07~", ("1937-07", "APPROX")),
        ("193X", ("193", None)),
        ("../1935", ("1935", "BEFORE")),
    ],
)
def test_edtf_to_timex3(value, expected):
    assert edtf_to_timex3(value) == expected


def test_days_before_christ_sort_and_compare_in_time_order():
    from kartoteka.time.values import sort_key

    days = ["0476-09-04", "-0043-03-15", "-0480-09-01", "0001-01-01", "0000-12-31"]
    assert sorted(days, key=sort_key) == [
        "-0480-09-01",
        "-0043-03-15",
        "0000-12-31",
        "0001-01-01",
        "0476-09-04",
    ]
    assert bounds("-0043") == ("-0043-01-01", "-0043-12-31")
    assert bounds("-0468/-0459") == ("-0468-01-01", "-0459-12-31")
    assert overlaps("-0043-03-15", "-0043") and not overlaps("-0043", "-0480/-0470")
