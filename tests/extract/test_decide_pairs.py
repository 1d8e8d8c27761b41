"""Status and scope read pairs of features a linear model cannot form itself, and only
where the parse found the figure's verb."""

from tally.extract.decide import select

PARSED = {"verb=rentrés": 1.0, "verb~rentrer": 1.0, "tense=past": 1.0, "rule:status=returned": 1.0}


def test_the_verb_is_read_with_its_tense_and_the_rules_status_with_the_cue():
    got = select("status", {**PARSED, "c:tree1:st:returned": 1.0, "c:tree1:st:returned|1": 1.0})
    assert got["x:verb+tense=rentrer|past"] == 1.0
    assert got["x:rule+cue=returned|returned"] == 1.0
    assert got["x:rule+tense=returned|past"] == 1.0


def test_without_a_parsed_verb_no_pairs_are_formed():
    feats = {"verb=none": 1.0, "tense=past": 1.0, "rule:status=returned": 1.0}
    assert select("scope", feats) == feats


def test_other_decisions_read_the_features_as_they_are():
    assert select("role", PARSED) == PARSED


def test_whether_the_rules_gave_a_country_is_no_evidence_of_fate_or_of_a_figure() -> None:
    feats = {"rule:origin=yes": 1.0, "rule:status=returned": 1.0, "verb=none": 1.0}
    for task in ("figure", "status", "scope"):
        assert "rule:origin=yes" not in select(task, feats)
        assert "rule:status=returned" in select(task, feats)
    assert "rule:origin=yes" in select("role", feats)


def test_nor_whether_they_found_a_source_or_a_group_evidence_of_fate() -> None:
    feats = {"rule:source=yes": 1.0, "rule:group=yes": 1.0, "rule:status=returned": 1.0, "verb=none": 1.0}
    for task in ("status", "scope"):
        assert set(select(task, feats)) == {"rule:status=returned", "verb=none"}
    assert "rule:source=yes" in select("figure", feats)
