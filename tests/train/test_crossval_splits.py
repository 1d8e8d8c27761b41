"""Cross-validation over several fold splits: the mean a change is judged on."""

from pathlib import Path

from tally.train import crossval


def test_the_mean_over_splits_averages_every_score_of_the_learned_layer() -> None:
    one = {
        "en/learned": {"f1": 0.95, "attributes": {"status": 0.83}, "note": "a"},
        "en/rules": {"f1": 0.90},
    }
    two = {
        "en/learned": {"f1": 0.93, "attributes": {"status": 0.81}, "note": "a"},
        "en/rules": {"f1": 0.90},
    }
    means = crossval.mean_report(Path("."), [], [0, 1], known={0: one, 1: two})
    assert means == {"en/learned": {"f1": 0.94, "attributes": {"status": 0.82}, "note": "a"}}


def test_each_seed_deals_every_article_of_a_language_into_the_folds_anew() -> None:
    from tally.model import Doc
    from tally.train.corpus import Article

    arts = [Article(f"en_{i:03d}", "en", Doc(f"en_{i:03d}", "t", "x", lang="en"), []) for i in range(20)]
    first, second = crossval.folds(arts, 5, 0), crossval.folds(arts, 5, 1)
    assert first != second
    assert sorted(first) == sorted(second) == sorted(list(range(5)) * 4)
