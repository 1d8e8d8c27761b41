"""Cross-validation over several fold splits: the mean a change is judged on."""

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
    means = crossval.mean_of({0: one, 1: two})
    assert means == {"en/learned": {"f1": 0.94, "attributes": {"status": 0.82}, "note": "a"}}


def test_each_seed_deals_every_article_of_a_language_into_the_folds_anew() -> None:
    from tally.model import Doc
    from tally.train.corpus import Article

    arts = [Article(f"en_{i:03d}", "en", Doc(f"en_{i:03d}", "t", "x", lang="en"), []) for i in range(20)]
    first, second = crossval.folds(arts, 5, 0), crossval.folds(arts, 5, 1)
    assert first != second
    assert sorted(first) == sorted(second) == sorted(list(range(5)) * 4)


def _summary(exact: float, status: float) -> dict[str, object]:
    return {
        "f1": 0.95,
        "attribute_mean": 0.9,
        "record_exact": exact,
        "attributes": {"status": status},
        "accounting": {"part_of": 0.8},
    }


def _report(splits: list[tuple[float, float]]) -> dict[str, object]:
    """A `--cv --splits N --json` report of the English learned layer."""
    out: dict[str, object] = {f"en/learned/split{seed}": _summary(*s) for seed, s in enumerate(splits)}
    out["en/learned"] = out["en/learned/split0"]
    n = len(splits)
    out[f"en/learned/mean{n}"] = _summary(
        round(sum(e for e, _ in splits) / n, 4), round(sum(s for _, s in splits) / n, 4)
    )
    return out


def test_a_comparison_says_what_moved_and_on_how_many_splits() -> None:
    before = _report([(0.40, 0.80), (0.42, 0.82), (0.41, 0.81), (0.43, 0.83)])
    after = _report([(0.41, 0.80), (0.43, 0.83), (0.42, 0.80), (0.44, 0.84)])
    lines = crossval.compare(before, after)
    assert lines == [
        "en/learned (mean of 4 splits): 2 scores moved",
        "  exact 0.4150 -> 0.4250 (+0.0100; up on 4 of 4 splits)",  # a gain
        "  status 0.8150 -> 0.8175 (+0.0025; up on 2 of 4 splits)",  # retraining noise
    ]


def test_reports_without_their_splits_are_compared_on_their_means() -> None:
    before = _report([(0.40, 0.80), (0.42, 0.82)])
    after = _report([(0.40, 0.80), (0.42, 0.82)])
    for report in (before, after):
        for seed in (0, 1):
            del report[f"en/learned/split{seed}"]
    assert crossval.compare(before, after) == ["en/learned (mean of 2 splits): unchanged"]
