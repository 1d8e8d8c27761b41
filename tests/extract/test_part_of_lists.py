"""The items of one list are parts of one whole or of none, and share the fate the list opens with.

"25 came home - seven men, six women and 12 children": the three items choose their
whole together, so a breakdown is never split between a whole and "no whole". The
sentences are the project's own; the list choice is pinned with a small hand-set model so
that what it means does not depend on the weights `make train` writes."""

from __future__ import annotations

from tally.extract import decide, document, relations
from tally.extract.decide import _whole_scores, _wholes_of_list
from tally.extract.linear import LinearModel
from tally.model import Doc

LISTED = "Last year 25 Belgians were repatriated from Syria - seven men, six women and 12 children."


def _cands(text: str, lang: str = "en") -> list:  # type: ignore[type-arg]
    return document.candidates(Doc("d", "test", text, lang=lang))


def _spans(cands, i: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The spans of the list that starts at candidate `i`."""
    out = [cands[i].fig.span]
    while relations.listed_after(cands, i):
        i += 1
        out.append(cands[i].fig.span)
    return out


def test_counts_joined_by_commas_and_and_are_one_list():
    cands = _cands(LISTED)
    spans = [c.fig.span for c in cands]
    assert _spans(cands, spans.index("seven")) == ["seven", "six", "12"]


def test_a_spaced_hyphen_opens_a_breakdown_and_ends_no_list():
    cands = _cands(LISTED)
    spans = [c.fig.span for c in cands]
    assert not relations.listed_after(cands, spans.index("25"))
    assert relations._ties("en").search(" Syria - seven")


def test_a_spaced_hyphen_ends_the_counted_phrase_before_the_breakdown():
    """'40 fighters - nine men': the total counts fighters, not the men of its first item."""
    cands = _cands(
        "Last year 40 fighters - nine men, eight women and 23 children - were flown home from Syria."
    )
    assert {c.fig.span: c.fig.counted for c in cands}["40"] == "fighters"


def test_a_tie_word_between_two_counts_makes_a_whole_and_its_part_not_a_list():
    cands = _cands("Some 400 French fighters are held in Syria, including 120 women.")
    spans = [c.fig.span for c in cands]
    assert not relations.listed_after(cands, spans.index("Some 400"))


def test_french_and_german_lists_join_on_their_own_coordinators():
    fr = _cands("Au total, 130 Français sont détenus en Syrie: 40 hommes, 30 femmes et 60 enfants.", "fr")
    assert _spans(fr, [c.fig.span for c in fr].index("40")) == ["40", "30", "60"]
    de = _cands("Insgesamt sind 90 Deutsche in Syrien inhaftiert: 30 Männer, 20 Frauen und 40 Kinder.", "de")
    assert _spans(de, [c.fig.span for c in de].index("30")) == ["30", "20", "40"]


# The first count of a sentence looks like a whole; "and" just before a part looks like
# none (as in "men and women"); "no whole" is a fair default.
MODEL = LinearModel(
    "part_of", ["no", "yes"], [0.0], {"whole-first-in-sentence": [2.0], "bw=and": [-3.0], "none": [0.5]}, {}
)


def test_a_list_takes_one_whole_for_all_its_items():
    cands = _cands(LISTED)
    spans = [c.fig.span for c in cands]
    whole, first, last = spans.index("25"), spans.index("seven"), spans.index("12")
    keep = [True] * len(cands)
    alone = _whole_scores(cands, last, MODEL, keep, {})
    assert max(alone, key=alone.__getitem__) == relations.NO_WHOLE, "alone, the last item would take none"
    got = _wholes_of_list(cands, first, MODEL, keep, {})
    assert got == {first: whole, first + 1: whole, last: whole}


# Every count reads as present, except that the third count of a sentence reads as joined;
# every count is a figure.
STATUS = LinearModel(
    "status", ["joined", "present"], [0.0, 1.0], {"pos:k=2": [3.0, 0.0]}, {"class_counts": {}}
)
LAYER = decide.Models(
    {"status": STATUS, "figure": LinearModel("figure", ["no", "yes"], [5.0], {"lang=fr": [0.0]}, {})}
)


def test_a_list_item_that_says_nothing_of_its_fate_shares_the_fate_of_the_item_before_it():
    cands = _cands("Environ 90 Belges se trouvent encore en Syrie, 35 en Turquie et 20 en Irak.", "fr")
    spans = [c.fig.span for c in cands]
    last = spans.index("20")
    assert not decide._own_status_cue(cands[last]), "'20 en Irak' names no fate of its own"
    assert decide._decide(STATUS, cands[last].features, None) == "joined", "alone, it would read as joined"
    figs = decide.figures(cands, Doc("d", "test", "", lang="fr"), LAYER)
    assert [(f.span, f.status) for f in figs] == [
        ("Environ 90", "present"),
        ("35", "present"),
        ("20", "present"),
    ]


def test_a_list_item_with_a_fate_of_its_own_keeps_it():
    cands = _cands("Environ 90 Belges se trouvent encore en Syrie, 35 sont morts et 20 sont rentrés.", "fr")
    figs = decide.figures(cands, Doc("d", "test", "", lang="fr"), LAYER)
    assert decide._own_status_cue(cands[-1])
    assert [(f.span, f.status) for f in figs][-1] == ("20", "joined")


def test_no_whole_is_weighed_on_the_words_after_the_number_too():
    """'60 of the 310': the words right after a number say it has a whole, whichever
    option that whole is, so the "no whole" option reads them."""
    cands = _cands("Officials believe 60 of the 310 Canadians who left for Syria have died.")
    spans = [c.fig.span for c in cands]
    none = dict(relations.part_options(cands, spans.index("60")))[relations.NO_WHOLE]
    assert none["none|a1=of"] == 1.0
    assert none["none|a2=of the"] == 1.0


# The whole is the first count of the document; the group model keeps the organisation
# the rules read only where the counted phrase itself names it ("Islamic State fighters").
WHOLE_FIRST = LinearModel(
    "part_of", ["no", "yes"], [0.0], {"dir=before": [2.0], "dir=after": [-4.0], "none": [0.5]}, {}
)
NAMED_HERE = LinearModel(
    "group", ["jihadist", "none", "rule"], [0.0, 1.0, 0.0], {"a2=islamic state": [0.0, 0.0, 4.0]}, {}
)


def test_a_part_whose_words_name_no_group_is_counted_within_its_wholes():
    text = "Some 120 Islamic State fighters came back to the region last year. Among them, 16 were women."
    cands = _cands(text)
    layer = decide.Models(
        {
            "part_of": WHOLE_FIRST,
            "group": NAMED_HERE,
            "figure": LinearModel("figure", ["no", "yes"], [5.0], {"lang=en": [0.0]}, {}),
        }
    )
    assert decide._group(cands[1], NAMED_HERE) is None, "alone, the 16 would have no group"
    figs = decide.figures(cands, Doc("d", "test", "", lang="en"), layer)
    assert [(f.span, f.part_of, f.group) for f in figs] == [
        ("Some 120", None, "ISIS"),
        ("16", "Some 120", "ISIS"),
    ]


def test_a_quotation_that_opens_on_its_whole_frames_the_counts_inside_it():
    text = (
        "Le parquet a publié son bilan. « Parmi les 300 Belges partis en Syrie, on compte 90 femmes "
        "et 7 adolescents », a indiqué le procureur."
    )
    figs = decide.figures(_cands(text, "fr"), None, decide.Models({}))  # type: ignore[arg-type]
    assert {f.span: f.part_of for f in figs} == {"300": None, "90": "300", "7": "300"}


def test_a_frame_that_refers_back_in_words_takes_the_last_figure_as_its_whole():
    """'Sur ce nombre,' and 'Of this total,' (grammar.json group_references) open on the
    figure of the sentence before, as 'Of these,' does."""
    for lang, text in (
        ("fr", "Le parquet suit 140 djihadistes revenus de Syrie. Sur ce nombre, 35 ont été jugés."),
        ("en", "The ministry counts 2,000 jihadists. Of this total, 190 are in prison."),
    ):
        figs = decide.figures(_cands(text, lang), None, decide.Models({}))  # type: ignore[arg-type]
        assert [f.part_of for f in figs] == [None, figs[0].span], lang


def test_a_number_with_no_noun_is_offered_the_start_of_the_references_it_continues() -> None:
    """'15 have died' refers back to 'some 70', which refers back to 'more than 200': the
    figure that chain starts from is often the whole of every number in it, so the part_of
    decision sees how far back each option stands on the chain."""
    text = (
        "The minister put the number of Belgian jihadists at about 400 last week. He gave more "
        "details on Monday: more than 200 are in Syria, some 70 are in transit and 15 have died."
    )
    cands = _cands(text)
    spans = [c.fig.span for c in cands]
    last = spans.index("15")
    offered = dict(relations.part_options(cands, last))
    start = spans.index("more than 200")
    assert offered[start].get("chain=2") == 1.0 and offered[start].get("chain-root") == 1.0
    assert not any(k.startswith("chain") for k in offered[spans.index("some 70")])


def test_a_total_no_larger_count_came_before_is_offered_as_the_account_it_opens():
    """A count whose fates follow sentence after sentence: the opening total is the
    largest so far, and for a count after it the nearest larger count before; a share
    (a per cent) is no size to compare with either."""
    text = (
        "The ministry counts 900 Belgians who left for Syria, 60% of them young men. "
        "Some 400 are still there. Another 150 have died."
    )
    cands = _cands(text)
    spans = [c.fig.span for c in cands]
    offered = dict(relations.part_options(cands, spans.index("150")))
    opening, there = offered[spans.index("900")], offered[spans.index("Some 400")]
    assert opening.get("largest-so-far|2") == 1.0 and opening.get("largest-so-far|en|2") == 1.0
    assert not any(k.startswith("largest-so-far") for k in there), "900 came before it"
    assert there.get("nearest-larger|1") == 1.0
    assert not any(k.startswith("nearest-larger") for k in opening)


def test_a_partitive_right_before_a_later_whole_is_read_with_its_nearness():
    cands = _cands("Officials believe 60 of the 310 Canadians who left for Syria have died.")
    spans = [c.fig.span for c in cands]
    whole = dict(relations.part_options(cands, spans.index("60")))[spans.index("310")]
    assert whole["ahead1+n=of|2"] == 1.0


def test_a_part_takes_no_group_from_a_total_several_sentences_back():
    """A total further back than NEAR_WHOLE opened a list of fates: each part tells its
    own, its group included."""
    text = (
        "Some 120 Islamic State fighters came back to the region last year. The police "
        "questioned them. The courts were busy. The prisons were full. Among them, 16 were women."
    )
    cands = _cands(text)
    layer = decide.Models(
        {
            "part_of": WHOLE_FIRST,
            "group": NAMED_HERE,
            "figure": LinearModel("figure", ["no", "yes"], [5.0], {"lang=en": [0.0]}, {}),
        }
    )
    figs = decide.figures(cands, Doc("d", "test", "", lang="en"), layer)
    assert [(f.span, f.part_of, f.group) for f in figs] == [
        ("Some 120", None, "ISIS"),
        ("16", "Some 120", None),
    ]
