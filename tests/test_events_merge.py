"""Cross-source merging as pure functions: corroboration, contradictions, relations."""

from __future__ import annotations

from kartoteka.events.merge import EventRecord, RelationRecord, merge_events, merge_relations
from kartoteka.events.ontology import load_ontology

TYPES = load_ontology().types


def rec(
    i, doc, typ, roles, date=None, source="clause", place=None, sentence=0, modality="asserted"
):
    return EventRecord(
        i, doc, typ, {r: set(v) for r, v in roles.items()}, date, source, place, sentence, modality
    )


def test_same_event_two_sources_is_one_with_two_sources():
    events, contra = merge_events(
        [
            rec(1, 1, "ARREST", {"patient": [7], "agent": [9]}, "1938-03-12"),
            rec(2, 2, "ARREST", {"patient": [7]}, "1938-03"),
        ],
        TYPES,
    )
    assert len(events) == 1 and events[0].sources == 2
    assert events[0].date == "1938-03-12"  # the most precise firm date, not an average
    assert events[0].roles == {"patient": [7], "agent": [9]}
    assert contra == []


def test_killing_with_incompatible_dates_is_a_contradiction_kept_apart():
    events, contra = merge_events(
        [
            rec(1, 1, "KILLING", {"patient": [7]}, "1938-04-03"),
            rec(2, 2, "KILLING", {"patient": [7]}, "1938-06-20"),
        ],
        TYPES,
    )
    assert len(events) == 2
    assert [(c.kind, c.left, c.right, c.alternative) for c in contra] == [("date", 1, 2, False)]


def test_a_hedged_account_is_an_alternative_not_a_contradiction():
    events, contra = merge_events(
        [
            rec(1, 1, "KILLING", {"patient": [7]}, "1938-04-03"),
            rec(2, 2, "KILLING", {"patient": [7]}, "1938-06", modality="hedged"),
            rec(3, 3, "KILLING", {"patient": [7]}, "1938-04", modality="reported"),
        ],
        TYPES,
    )
    # the reported account agrees and joins the asserted one; the hedged one stands apart
    assert sorted(len(e.mention_ids) for e in events) == [1, 2]
    assert [e.modality for e in events if len(e.mention_ids) == 2] == ["asserted"]
    assert [(c.kind, c.alternative) for c in contra] == [("date", True)]


def test_a_plan_and_the_deed_are_two_events():
    events, contra = merge_events(
        [
            rec(1, 1, "KILLING", {"patient": [7]}, "1938", modality="planned"),
            rec(2, 2, "KILLING", {"patient": [7]}, "1938-04-03"),
            rec(3, 3, "KILLING", {"patient": [7]}, "1937", modality="attempted"),
        ],
        TYPES,
    )
    assert sorted(e.modality for e in events) == ["asserted", "attempted", "planned"]
    assert contra == []  # an attempt in 1937 does not contradict a killing in 1938


def test_the_merged_date_says_where_it_came_from():
    events, _ = merge_events(
        [
            rec(1, 1, "ARREST", {"patient": [7]}, "1938", source="narrative"),
            rec(2, 2, "ARREST", {"patient": [7]}, "1938-03-12"),
        ],
        TYPES,
    )
    assert [(e.date, e.date_source) for e in events] == [("1938-03-12", "clause")]


def test_repeatable_events_on_other_dates_are_distinct_not_contradictory():
    events, contra = merge_events(
        [
            rec(1, 1, "MEETING", {"agent": [1], "partner": [2]}, "1936-12"),
            rec(2, 2, "MEETING", {"agent": [1], "partner": [2]}, "1937-01-29"),
        ],
        TYPES,
    )
    assert len(events) == 2 and contra == []


def test_narrative_dates_neither_block_nor_contradict():
    events, contra = merge_events(
        [
            rec(1, 1, "KIDNAPPING", {"patient": [5]}, "1937-09-04", source="narrative"),
            rec(2, 2, "KIDNAPPING", {"patient": [5]}, "1937-09-22"),
        ],
        TYPES,
    )
    assert len(events) == 1 and events[0].date == "1937-09-22" and contra == []


def test_place_disagreement_on_a_killing():
    events, contra = merge_events(
        [
            rec(1, 1, "KILLING", {"patient": [7]}, "1937-09-04", place=20),
            rec(2, 2, "KILLING", {"patient": [7]}, "1937-09-04", place=21),
        ],
        TYPES,
    )
    assert len(events) == 2 and [c.kind for c in contra] == ["place"]


def test_keyless_telling_joins_its_neighbour_in_the_same_document():
    events, _ = merge_events(
        [
            rec(1, 1, "DEFECTION", {}, "1937-22", sentence=4),
            rec(2, 1, "DEFECTION", {"agent": [3, 4]}, "1937-22", source="narrative", sentence=5),
            rec(3, 2, "DEFECTION", {}, sentence=5),  # another document: stays alone
        ],
        TYPES,
    )
    assert sorted(len(e.mention_ids) for e in events) == [1, 2]


def test_different_participants_stay_apart():
    events, _ = merge_events(
        [rec(1, 1, "ARREST", {"patient": [1]}), rec(2, 1, "ARREST", {"patient": [2]})], TYPES
    )
    assert len(events) == 2


def test_relations_deduplicated_and_unresolved_dropped():
    rels = merge_relations(
        [
            RelationRecord(1, 10, "DEPUTY_OF", 11),
            RelationRecord(2, 10, "DEPUTY_OF", 11),
            RelationRecord(3, None, "HEAD_OF", 11),
            RelationRecord(4, 12, "HEAD_OF", 12),
        ]
    )
    assert [(r.subject, r.predicate, r.object, r.mention_ids) for r in rels] == [
        (10, "DEPUTY_OF", 11, [1, 2])
    ]


def test_the_next_sentence_telling_it_again_in_the_passive_is_the_same_act():
    # "Yezhov sent out a circular announcing that Smirnov was a spy. He was said to be ..."
    events, _ = merge_events(
        [
            rec(1, 1, "ACCUSATION", {"agent": [2], "patient": [7]}, None, "none", sentence=3),
            rec(2, 1, "ACCUSATION", {"patient": [7]}, None, "none", sentence=4),
            # two sentences on, it is told anew
            rec(3, 1, "ACCUSATION", {"patient": [7]}, None, "none", sentence=6),
        ],
        TYPES,
    )
    assert sorted(e.mention_ids for e in events) == [[1, 2], [3]]


def test_a_new_post_in_the_next_sentence_is_another_post():
    # "He joined the Red Army. He was drafted into the army of the Tsar."
    events, _ = merge_events(
        [
            rec(1, 1, "APPOINTMENT", {"agent": [7]}, None, "none", sentence=3),
            rec(2, 1, "APPOINTMENT", {"patient": [7]}, None, "none", sentence=4),
        ],
        TYPES,
    )
    assert len(events) == 2


def test_a_telling_that_looks_back_joins_the_event_with_more_participants():
    # "... a letter addressed to me by Klement. I have not received this letter yet."
    told = rec(1, 1, "COMMUNICATION", {"agent": [2], "recipient": [5]}, None, "none", sentence=2)
    again = rec(2, 1, "COMMUNICATION", {"recipient": [5]}, None, "none", sentence=3)
    again.refers_back = True
    fresh = rec(3, 1, "COMMUNICATION", {"recipient": [5]}, None, "none", sentence=4)
    events, _ = merge_events([told, again, fresh], TYPES)
    assert sorted(e.mention_ids for e in events) == [[1, 2], [3]]


def test_the_murder_told_again_by_its_doers_is_the_murder_told_before():
    # "Kirov was murdered on 1 December. ... the group who committed the murder"
    told = rec(1, 1, "KILLING", {"patient": [7]}, "1934-12-01", sentence=2)
    again = rec(2, 1, "KILLING", {"agent": [9]}, None, "none", sentence=5)
    again.refers_back = True
    events, _ = merge_events([told, again], TYPES)
    assert [(e.mention_ids, e.roles) for e in events] == [([1, 2], {"patient": [7], "agent": [9]})]
