"""The rules: one regex per shape of time expression, the function that says what a match
means (`dates`, `relative`), and the trigger words it needs (see `grammar.windows`).

Regexes are written with the named fragments of `lexicon.fragments` ({MONTH}, {YEAR}, ...),
so the words live in lexicon.json and the grammar here. Where two rules match overlapping
text the longer match wins, and on equal length the rule listed first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from kartoteka.time import dates as d
from kartoteka.time import era
from kartoteka.time import relative as r
from kartoteka.time.dates import Match, Meaning
from kartoteka.time.lexicon import alternation, fragments, lexicon


class Rule(NamedTuple):
    name: str
    pattern: str
    meaning: Callable[[Match], Meaning | None]
    needs: str  # trigger kinds (see grammar._trigger), one of which must be near


class Compiled(NamedTuple):
    name: str
    regex: re.Pattern[str]
    meaning: Callable[[Match], Meaning | None]
    needs: str
    priority: int


def _pieces() -> dict[str, str]:
    """Fragments with named groups, shared by several rules."""
    f = fragments()
    return {
        **f,
        "APPROXQ": rf"(?:(?P<approx>{f['APPROX']})\s+)?",
        "PARTQ": rf"(?:(?P<part>{f['PART']})[\s-]*)?",
        "WDQ": rf"(?:(?P<wd>{f['WEEKDAY']}),?\s+)?",
        "PODQ": (
            # "the night of", "the early morning hours of"
            r"(?:(?:the\s+)?(?:(?:early|late)\s+(?=\w+\s+hours))?(?P<podp>early\s+hours|"
            r"small\s+hours|wee\s+hours|morning|afternoon|evening|night)(?:\s+hours)?\s+of\s+)?"
        ),
        "MON": rf"(?P<mon>{f['MONTH']})",
        "Y4": rf"(?P<y>{f['YEAR']})",
        "Y": _year("y"),
        "PREP": rf"(?P<prep>{alternation(_year_prepositions())})",
        "REL": rf"(?P<rel>{alternation(lexicon()['relative_words'])})",
        "THE": r"(?:(?P<the>the)\s+)?",
        "NUMQ": rf"(?P<n>{f['NUM']}|{f['VAGUE']})",
        "Q": rf"(?:(?P<q>{alternation(lexicon()['quantity_mods'])})\s+)?",
        # "[earlier this year]": TimeML takes it in the span
        "EL": r"(?:(?:earlier|later)\s+)?",
        "ERA": era.marker("after"),
        # "two and a half years", "a minute and a half"
        "HALF": r"(?P<half>\s+and\s+a\s+half)?",
        "HALF2": r"(?P<half2>\s+and\s+a\s+half)?",
        # "eight trading days", "ten working days"
        "DAYKIND": r"(?:(?:trading|business|working|calendar)\s+)?",
    }


def _year_prepositions() -> list[str]:
    preps = lexicon()["year_prepositions"]
    return list(preps["strong"]) + list(preps["weak"])


@cache
def _year_follows() -> str:
    """What may follow a three-digit number for it to be a year: punctuation, the end, a
    capitalized word or a word of `year_followers` ("in 476 the", not "in 300 ships")."""
    words = alternation(lexicon()["year_followers"])
    return rf"(?=\s*(?:[^\w\s]|$|(?-i:[A-Z])|(?:{words})\b))"


def _year(
    name: str, *, any_digits_after: str | None = None, dash: bool = False, alone: bool = True
) -> str:
    """A year in named group `name`, its era marker before (`name`e0: "AD 14") or after
    (`name`e1: "44 BC"). Four digits stand alone; three where a year may stand ("in 476",
    not "300 men"); one or two only with an era, or after the group `any_digits_after` ("the
    year 14"). Not a part of a longer number, a decade ("1930s"), a sum ("£1600", "1600l.")
    or, unless `dash`, a range ("1936-37")."""
    before, after = era.marker("before"), era.marker("after")
    short = rf"[1-9]\d{{0,3}}(?=\s*{after})"
    if any_digits_after:
        short = rf"(?({any_digits_after})[1-9]\d{{0,3}}|(?:{short}))"
    number = rf"(?({name}e0)[1-9]\d{{0,3}}|(?:\d{{4}}|[1-9]\d{{2}}{_year_follows()}|{short}))"
    # nor a footnote's number ("1911 (return) [" in a Gutenberg text)
    # (a comma and three digits make a longer number, "1,600,000"; a comma and four another
    # year of a list, "1936,1937, and 1938")
    guard = (
        r"(?!\d|,\d{1,3}(?!\d)|\.\d|['’]?s\b|[a-z]|\s*\(return\)" + ("" if dash else r"|-\d") + ")"
    )
    # a year alone is not the end of a longer number or a range ("1,600", "1936-37"), but
    # may follow "mid-" ("mid-1996") or another year and a comma
    behind = r"(?:(?<=\bmid-)|(?<=\b\d{4},)|(?<![\d.,$£€/-]))" if alone else ""
    return (
        rf"(?:(?P<{name}e0>{before})\s*)?{behind}(?P<{name}>{number})"
        rf"(?:\s*(?P<{name}e1>{after}))?{guard}"
    )


def _day_rules(p: dict[str, str]) -> list[Rule]:
    """Dates to the day, and ranges of days."""
    return [
        Rule(
            "iso", r"\b(?P<y>[12]\d{3})-(?P<mo>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b", d.m_iso, "D"
        ),
        Rule(
            "numeric",
            r"(?<![\d./])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)"
            r"(?P<y>\d{4}|\d{2})(?![\d./])",
            d.m_numeric,
            "D",
        ),
        Rule(
            "day_month_year",
            rf"\b{p['APPROXQ']}{p['PODQ']}{p['PARTQ']}{p['WDQ']}(?:the\s+)?(?P<d>{p['DAY']})"
            # "25. March 1973": a day with a dot, as German writes it
            rf"(?P<dot>(?<=\d)\.)?\s+(?:of\s+)?{p['MON']}(?:,?\s+{p['Y']})?(?!\w)",
            d.m_day_month_year,
            "MON",
        ),
        Rule(
            "month_day_year",
            rf"\b{p['APPROXQ']}{p['PODQ']}{p['PARTQ']}{p['WDQ']}{p['MON']}\s+(?:the\s+)?"
            rf"(?P<d>{p['DAY']})(?!\d|:\d)(?:,?\s+{p['Y']})?(?!\w)",
            d.m_day_month_year,
            "MON",
        ),
        Rule(
            # "the last week of August", "the week of March 6"
            "week_of",
            rf"\bthe\s+(?:(?P<wk>first|second|third|fourth|last|final)\s+)?week\s+of\s+"
            rf"{p['MON']}(?:\s+(?P<d>[12]?\d|3[01])\b)?(?:,?\s+{p['Y']})?(?!\w)",
            d.m_week_of,
            "MON",
        ),
        Rule(
            # "the last day of December 192", "the first day of May"
            "edge_day",
            rf"\bthe\s+(?P<edge>first|last)\s+day\s+of\s+{p['MON']}(?:,?\s+{p['Y']})?(?!\w)",
            d.m_edge_day,
            "MON",
        ),
        Rule(
            # "August 19-24, 1936"
            "month_day_range",
            rf"\b{p['MON']}\s+(?P<d1>[12]?\d|3[01])(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*"
            rf"(?P<d2>[12]?\d|3[01])(?:st|nd|rd|th)?\b(?!:)(?:,?\s+{p['Y']})?(?!\w)",
            d.m_day_range,
            "MON",
        ),
        Rule(
            "day_range",
            rf"\b(?P<d1>[12]?\d|3[01])(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*"
            rf"(?P<d2>[12]?\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?{p['MON']}"
            rf"(?:,?\s+{p['Y']})?(?!\w)",
            d.m_day_range,
            "D",
        ),
    ]


def _month_rules(p: dict[str, str]) -> list[Rule]:
    """Months and seasons, with or without a year."""
    return [
        Rule(
            "month_year",
            rf"\b{p['APPROXQ']}{p['PARTQ']}{p['MON']}(?:,|\s+of)?\s+{p['Y']}",
            d.m_month_year,
            "MON",
        ),
        Rule(
            "month_rel_year",
            rf"\b{p['APPROXQ']}{p['PARTQ']}{p['MON']}\s+(?:of\s+)?(?P<ry>this|last|next)\s+year\b",
            d.m_month_year,
            "MON",
        ),
        Rule(
            "month_alone",
            rf"\b{p['APPROXQ']}(?:(?P<prep>in|of|since|until|till|by|during|from|"
            rf"to|through|before|after)\s+)?(?:(?P<rel>last|next|this|"
            rf"that|the\s+following|the\s+previous)\s+)?{p['PARTQ']}{p['MON']}\b(?!\s*\d)",
            d.m_month_alone,
            "MON",
        ),
        Rule(
            "season",
            rf"\b{p['APPROXQ']}(?:(?P<rel>this|next|last|that|the\s+following|"
            rf"the\s+previous|the\s+same|past)\s+)?(?:the\s+)?{p['PARTQ']}(?:the\s+)?"
            rf"(?P<season>{p['SEASON']})(?:\s+(?:of\s+)?{_year('y', dash=True)}"
            rf"(?:\s*[-–/]\s*(?P<y2>\d{{2,4}}))?|\s+of\s+(?P<sy>that|the\s+same|"
            rf"the\s+following|the\s+next|the\s+previous)\s+year)?(?!\w)(?![-–/]?\d)",
            d.m_season,
            "SEA",
        ),
        Rule(
            # "the third quarter of 1989", "the 1988 second quarter", "next year's first quarter"
            "quarter",
            rf"\b(?:the\s+)?(?:(?P<py>{p['YEAR']})\s+|(?P<ry>this|last|next)\s+year['’]s\s+)?"
            rf"(?:company's\s+|fiscal\s+)?(?P<q>{alternation(lexicon()['quarter_words'])})"
            rf"[\s-]+(?:fiscal\s+)?quarter"
            rf"(?:\s+of\s+(?:fiscal\s+)?(?:{p['Y4']}|(?P<ry2>this|last|next)\s+year))?\b",
            d.m_quarter,
            "UNIT",
        ),
        Rule(
            # "the second half of 1989", "the first two quarters of next year"
            "half",
            rf"\b(?:the\s+)?(?:(?P<h>first|second|1st|2nd|latter|former|last)\s+half|"
            rf"(?P<hq>first|last)\s+two\s+quarters)\s+of\s+"
            rf"(?:{p['Y4']}|(?P<ry>this|last|next)\s+year)\b",
            d.m_half,
            "D UNIT",
        ),
        Rule(
            # "the 1988 quarter", "the 1989 period": the period the report is on, that year
            "year_period",
            rf"\bthe\s+{p['Y4']}\s+(?:quarter|period)\b",
            d.m_year_period,
            "D",
        ),
        Rule(
            "holiday",
            rf"\b{p['APPROXQ']}(?P<h>{p['HOLIDAY']})(?:\s+(?:of\s+)?{p['Y4']})?\b",
            d.m_holiday,
            "MISC",
        ),
    ]


def _year_rules(p: dict[str, str]) -> list[Rule]:
    """Years, ranges of years, decades, centuries."""
    return [
        Rule(
            "year_range",
            r"(?<![\d.,$£€/-])(?P<y1>1[0-9]{3}|20[0-9]{2})\s*[-–]\s*(?P<y2>\d{2}|"
            r"1\d{3}|20\d{2})\b(?!-)",
            d.m_year_range_short,
            "D",
        ),
        Rule(
            # "499-493 BC", "264–146 B.C.": both ends of the era written after the second
            "era_range",
            rf"(?<![\d.,$£€/-])(?P<y1>[1-9]\d{{0,3}})\s*[-–]\s*{_year('y2', alone=False)}",
            d.m_era_range,
            "D",
        ),
        Rule(
            "year",
            rf"(?:\b{p['APPROXQ']}(?:{p['PREP']}\s+)?(?:(?P<lead>the\s+year(?:\s+of)?)\s+)?"
            rf"{p['PARTQ']})?"
            rf"{_year('y', any_digits_after='lead')}",
            d.m_year,
            "D",
        ),
        Rule(
            "decade",
            rf"\b{p['APPROXQ']}(?:the\s+)?{p['PARTQ']}(?:(?P<dec>1\d{{2}}0|20\d0|[1-9]\d0|"
            rf"['’]\d0)['’]?s(?:\s+(?P<de>{p['ERA']}))?|the\s+(?P<decw>{p['DECWORD']}))(?!\w)",
            d.m_decade,
            "D MISC",
        ),
        Rule(
            "century",
            rf"\b{p['APPROXQ']}(?:the\s+)?{p['PARTQ']}(?P<n>{p['ORDWORD']}|\d{{1,2}}"
            rf"(?:st|nd|rd|th))[\s-]+century(?:\s+(?P<ce>{p['ERA']}))?",
            d.m_century,
            "UNIT",
        ),
        Rule(
            "turn",
            r"\b(?:the\s+)?turn\s+of\s+(?:the\s+)?(?:(?P<what>year|century|decade)|"
            r"(?P<y>1\d{3}))\b",
            d.m_turn,
            "UNIT D",
        ),
        Rule("fiscal", rf"\bfiscal\s+(?:year\s+)?{p['Y4']}", d.m_fiscal, "D"),
        Rule(
            # "the third year of his reign", "the tenth year of the reign of Tiberius"
            "regnal",
            rf"\bthe\s+(?P<n>{p['ORDWORD']}|\d{{1,2}}(?:st|nd|rd|th))\s+year\s+of\s+"
            r"(?:(?:his|her|their|the)\s+reign(?:\s+of\s+(?-i:[A-Z])[\w’'-]+)?|"
            r"(?-i:[A-Z])[\w’'-]+(?:['’]s)?\s+reign)",
            d.m_regnal,
            "UNIT",
        ),
        Rule(
            "spelled_year",
            r"\b(?:the\s+year\s+)?(?P<c>nineteen|eighteen|two\s+thousand)"
            r"(?:[\s-]+(?P<t>ten|eleven|twelve|thirteen|fourteen|fifteen|"
            r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
            r"sixty|seventy|eighty|ninety)(?:[\s-]+(?P<o>one|two|three|four|five|"
            r"six|seven|eight|nine))?|\s+and\s+(?P<o2>one|two|three|four|five|"
            r"six|seven|eight|nine|ten))?\b",
            d.m_spelled_year,
            "MISC UNIT",
        ),
    ]


def _relative_rules(p: dict[str, str]) -> list[Rule]:
    """Dates counted from a reference time: "yesterday", "the next day", "two years later"."""
    pod = r"(?:\s+(?P<pod>morning|afternoon|evening|night))?"
    return [
        Rule(
            "deictic_word",
            rf"\b{p['EL']}(?P<w>{alternation(lexicon()['deictic_days'])})(?:['’]s)?{pod}\b",
            r.m_deictic_word,
            "MISC",
        ),
        Rule(
            "rel_weekday",
            rf"\b{p['THE']}{p['REL']}\s+(?P<wd>{p['WEEKDAY']}){pod}\b",
            r.m_rel_weekday,
            "WD",
        ),
        Rule(
            "rel_unit",
            rf"\b{p['EL']}{p['PARTQ']}{p['THE']}{p['REL']}\s+(?P<unit>day|week|weekend|month|"
            rf"year|decade|century|quarter|fortnight)(?:['’]s)?{pod}\b",
            r.m_rel_unit,
            "UNIT",
        ),
        Rule(
            "rel_pod",
            rf"\b{p['EL']}{p['THE']}{p['REL']}\s+(?P<pod>morning|afternoon|evening|night)\b",
            r.m_rel_pod,
            "MISC",
        ),
        Rule(
            "weekday",
            rf"\b{p['PARTQ']}(?P<wd>{p['WEEKDAY']})(?:['’]s)?{pod}\b",
            r.m_weekday,
            "WD",
        ),
        Rule(
            "offset",
            rf"\b{p['APPROXQ']}{p['Q']}(?P<n>{p['NUM']}|{p['VAGUE']}){p['HALF']}\s+(?:more\s+)?"
            rf"{p['DAYKIND']}(?P<unit>{p['UNIT']}){p['HALF2']}\s+(?P<dir>ago|later|earlier|afterwards?|"
            rf"hence|from\s+now|before(?=\s*[,.;:)]|\s+(?:he|she|they|it|we|I)\b)|"
            rf"after(?=\s*[,.;:)]))",
            r.m_offset,
            "UNIT",
        ),
        Rule(
            # "five days after the fall of Girona": counted from an event the story is at
            "event_offset",
            rf"\b{p['APPROXQ']}{p['Q']}(?P<n>{p['NUM']}|{p['VAGUE']}){p['HALF']}\s+{p['DAYKIND']}"
            rf"(?P<unit>{p['UNIT']}){p['HALF2']}(?=\s+"
            rf"(?P<dir>after|before)\s+(?P<event>(?:the|his|her|its|their|a|an)\s+[^\W\d]|"
            rf"(?-i:[A-Z])))",
            r.m_event_offset,
            "UNIT",
        ),
        Rule(
            "day_after",
            r"\bthe\s+day\s+(?P<dir>after|before)(?=\s*[,.;:)]|\s+(?:he|she|they|"
            r"it|we|I)\b)",
            r.m_day_after,
            "UNIT",
        ),
        Rule(
            "year_ago",
            r"\b(?:(?:the\s+)?(?:comparable\s+)?(?:year-ago|year-earlier|"
            r"previous\s+year's|last\s+year's)(?:\s+(?:period|quarter))?|"
            r"the\s+(?:(?:corresponding|comparable|same)\s+)?(?:period|quarter)\s+"
            r"(?:a\s+year\s+(?:ago|earlier)|last\s+year))\b",
            r.m_year_ago,
            "UNIT",
        ),
    ]


def _part_rules(p: dict[str, str]) -> list[Rule]:
    """Ends and parts of the text's own year or day: "by year-end", "by mid-afternoon"."""
    return [
        Rule(
            # "by year-end" (the closing day of the books), "by year's end": the end of the
            # text's year ("since year-end": of the last one)
            "year_end",
            rf"\b{p['APPROXQ']}(?:(?P<prep>since)\s+)?(?:the\s+)?year(?P<day>[-\s])?(?:['’]s\s+)?"
            rf"end\b",
            r.m_year_end,
            "UNIT",
        ),
        Rule(
            # "by mid-afternoon", "late morning yesterday": a part of the day the text is at
            "part_of_day",
            r"\b(?P<part>early|mid|late)[-\s]?(?P<pod>morning|afternoon|evening)"
            r"(?:\s+(?P<w>today|yesterday|tomorrow))?\b(?!\s+(?:hours|of)\b)",
            r.m_part_of_day,
            "MISC",
        ),
    ]


def _period_rules(p: dict[str, str]) -> list[Rule]:
    """Clock times, durations, sets, vague references, "the year" the text speaks of."""
    return [
        Rule(
            "time",
            rf"\b{p['APPROXQ']}(?:(?P<hh>[012]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*"
            rf"(?P<ampm>[ap]\.?\s?m\b\.?)|(?P<hh2>[012]?\d)\s+o['’]clock|"
            # "at 4 in the morning": an hour only with the part of the day after it
            rf"(?<=\bat\s)(?P<hh3>1[0-2]|0?[1-9])(?=\s+in\s+the\s+(?:morning|afternoon|evening))|"
            rf"(?P<word>noon|midnight|midday))(?:\s+(?:[A-Z]{{2,4}}T|GMT|UTC)\b)?"
            rf"(?:\s+in\s+the\s+(?P<podw>morning|afternoon|evening))?"
            rf"(?:,?\s+(?:on\s+)?(?:(?P<rw>today|yesterday|tomorrow)|"
            rf"(?P<wd>{p['WEEKDAY']})|{p['MON']}\s+(?P<d>[0-3]?\d)\b))?",
            r.m_time,
            "D MISC",
        ),
        Rule(
            "duration",
            rf"\b{p['APPROXQ']}{p['Q']}(?:the\s+(?:past|last|next|first|previous|following|"
            rf"coming)\s+)?{p['NUMQ']}{p['HALF']}[\s-]+(?:(?:more|additional|full|long|straight|"
            rf"consecutive|whole|trading|business|working|calendar)\s+)?(?P<unit>{p['UNIT']})"
            rf"(?:-long)?{p['HALF2']}\b(?![-\s]old\b)",
            r.m_duration,
            "UNIT",
        ),
        Rule(
            "bare_plural",
            r"\b(?:(?P<prep>for|over|in|within)|the\s+past|the\s+last|the\s+next|the\s+coming|"
            r"recent|coming|past)\s+(?P<unit>years|months|weeks|days|decades|"
            r"centuries|hours|minutes|quarters)\b",
            r.m_bare_plural,
            "UNIT",
        ),
        Rule(
            "set",
            rf"\b(?:(?P<w>{alternation(lexicon()['set_words'])})|(?:every|each|per)\s+"
            rf"(?:(?P<n>{p['NUM']})\s+)?(?P<unit>{p['UNIT']}))\b",
            r.m_set,
            "UNIT MISC",
        ),
        Rule(
            # "each July", "every Thursday", "on Sundays", "Tuesday nights"
            "set_calendar",
            rf"\b(?:(?:each|every)\s+(?:(?P<mon>{p['MONTH']})|(?P<wd>{p['WEEKDAY']})"
            rf"(?:\s+(?P<pod>morning|afternoon|evening|night))?)|(?P<wds>{p['WEEKDAY']})s|"
            rf"(?P<wd2>{p['WEEKDAY']})\s+(?P<pods>mornings|afternoons|evenings|nights))\b",
            r.m_set_calendar,
            "MON WD",
        ),
        Rule(
            "ref",
            r"\b(?P<w>now|right\s+now|currently|at\s+present|presently|nowadays|"
            r"these\s+days|the\s+past|recently|lately|current(?=\s+[a-z])|"
            r"the\s+near\s+future|the\s+(?:near|short)\s+term|"
            r"recent(?=\s+[a-z]+(?<!days)(?<!weeks)(?<!months)(?<!years)\b)|"
            r"the\s+future|the\s+present|former(?=\s+(?!(?:a|an|the|is|was|were|are|has|had|and|or|of|to|in)\b)\w))\b",
            r.m_ref,
            "MISC",
        ),
        Rule(
            "period_ended",
            rf"\b(?:the\s+)?(?:(?:latest|fiscal|company's)\s+)?(?P<unit>year|quarter)"
            rf"(?=\s+(?:ended|ending)\s+{p['MON']}\.?\s+\d{{1,2}}(?:,\s+{p['Y4']})?)",
            d.m_period_ended,
            "UNIT",
        ),
        Rule(
            "the_unit",
            rf"\b{p['PARTQ']}(?P<the>the)\s+(?:(?P<adj>full|fiscal|current|latest|"
            rf"same|comparable|recent|whole)\s+)?(?:(?P<fiscal>fiscal)\s+)?"
            rf"(?P<unit>year|quarter|period|week|weekend|month)(?!\s+(?:of|ended|"
            rf"ending|before|after|earlier|ago|later)\b)\b",
            r.m_the_unit,
            "UNIT MISC",
        ),
    ]


#: Which rule wins where two match the same length of text: the one listed first.
PRIORITY = (
    "iso",
    "numeric",
    "day_month_year",
    "month_day_year",
    "edge_day",
    "week_of",
    "day_range",
    "month_day_range",
    "month_year",
    "month_rel_year",
    "month_alone",
    "season",
    "year_range",
    "era_range",
    "half",
    "year_period",
    "year",
    "decade",
    "century",
    "turn",
    "holiday",
    "deictic_word",
    "rel_weekday",
    "rel_unit",
    "rel_pod",
    "year_end",
    "part_of_day",
    "weekday",
    "offset",
    "event_offset",
    "day_after",
    "year_ago",
    "quarter",
    "fiscal",
    "regnal",
    "time",
    "duration",
    "bare_plural",
    "set",
    "set_calendar",
    "ref",
    "spelled_year",
    "period_ended",
    "the_unit",
)


@cache
def compiled() -> list[Compiled]:
    p = _pieces()
    rules = {
        rule.name: rule
        for group in (
            _day_rules,
            _month_rules,
            _year_rules,
            _relative_rules,
            _part_rules,
            _period_rules,
        )
        for rule in group(p)
    }
    return [
        Compiled(
            name,
            re.compile(rules[name].pattern, re.IGNORECASE),
            rules[name].meaning,
            rules[name].needs,
            i,
        )
        for i, name in enumerate(PRIORITY)
    ]
