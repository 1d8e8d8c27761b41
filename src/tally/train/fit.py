"""Fit the decision layer's models on aligned articles.

One scikit-learn LogisticRegression per decision, over the sparse binary features of
`tally.extract.features` and `relations`: linear models train in seconds on a few
thousand figures, are deterministic, and read back as weights (see `extract/linear.py`);
their errors are easy to trace to a feature. Regularisation strengths are named below
and were chosen by the grouped cross-validation of `crossval.py`.
"""

from __future__ import annotations

from typing import Any

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from tally.extract import relations
from tally.extract.decide import (
    ATTRIBUTES,
    NONE,
    context,
    group_class,
    group_features,
    origin_features,
    own_status,
    select,
)
from tally.extract.linear import LinearModel
from tally.train.corpus import Article, fold

# Inverse regularisation strength per decision (scikit-learn's C).
C = {
    "figure": 0.5,
    "status": 0.5,
    "scope": 0.5,
    "role": 0.5,
    "population": 0.5,
    # The whole-of decision reads few, dense pair features (no words of the part's own):
    # less regularisation fits them better (grouped CV, four splits: 0.5 -> 1.0 raised
    # part_of in every language; 2.0 and 4.0 lowered French).
    "part_of": 1.0,
    "origin": 0.5,
    "group": 0.5,
    # Every form of the reporting verbs (report_forms.json) gives the source options more
    # features; a little more regularisation keeps English where it was (0.4 by the CV).
    "source": 0.4,
}
# The option models ("is this the whole?", "is this the source?") see one right option
# among many wrong ones, and "none" right for most figures; a right option that is not
# "none" weighs this much more, so they do not always prefer "none".
OPTION_WEIGHT = {"part_of": 3.0, "source": 1.0}
# A candidate is kept as a figure when the model gives it at least this probability;
# chosen by the grouped cross-validation (F1 over both languages).
FIGURE_THRESHOLD = 0.5
# Weights smaller than this are dropped from the written model: they change no decision.
MIN_WEIGHT = 1e-4
DIGITS = 5

Example = tuple[dict[str, float], str]


def examples(articles: list[Article], task: str) -> list[Example]:
    """The labelled feature bags of one decision, in a fixed order."""
    out: list[Example] = []
    for art in articles:
        decided: dict[int, dict[str, str | None]] = {}
        for i, c in enumerate(art.cands):
            g = art.gold[art.match[i]] if i in art.match else None
            if task == "figure":
                out.append((select(task, c.features), "yes" if g is not None else "no"))
                continue
            if g is None:
                continue
            whole = gold_whole(art, i, g)
            if task in ("population", "part_of") and task not in g:
                pass  # gold written before the accounting fields existed: no label
            elif task in ATTRIBUTES:
                value = _gold(g, task)
                feats = {**c.features, **context(art.cands, i, decided, whole)}
                if task != "status":
                    feats.update(own_status(_gold(g, "status")))
                out.append((select(task, feats), NONE if value is None else value))
            elif task == "origin":
                out.append((origin_features(c), "yes" if g.get("origin") else "no"))
            elif task == "group":
                label = group_class(g.get("group"), c.fig.group)
                if label is not None:  # another organisation than the rules read: no class for it
                    out.append((group_features(c), label))
            elif task == "part_of":
                for j, f in relations.part_options(art.cands, i):
                    right = j == whole if whole is not None else j == relations.NO_WHOLE
                    if j != relations.NO_WHOLE and j not in art.match:
                        continue  # at run time only kept figures are wholes
                    out.append((f, "yes" if right else "no"))
            elif task == "source":
                want = fold(g.get("source"))
                for text, f in relations.source_options(c):
                    got = fold(text)
                    if text == relations.NO_SOURCE:
                        right = not want
                    else:
                        right = bool(want) and (want in got or got in want)
                    out.append((f, "yes" if right else "no"))
            # Later candidates see this figure's gold attributes, as at run time they see
            # the decided ones (`decide.context`).
            decided[i] = {name: _gold(g, name) for name in ATTRIBUTES}
    return out


def gold_whole(art: Article, i: int, g: dict[str, Any]) -> int | None:
    """The candidate the gold says candidate `i` is a part of: the nearest option whose
    span is the gold `part_of` (None when it has no whole or no candidate states it)."""
    want = fold(g.get("part_of"))
    if not want:
        return None
    for j, _ in relations.part_options(art.cands, i):
        if j != relations.NO_WHOLE and j in art.match and fold(art.cands[j].fig.span) == want:
            return j
    return None


def _gold(g: dict[str, Any], name: str) -> str | None:
    value = g.get(name)
    if name == "population":
        value = value or "all"
    return None if value is None else str(value)


def fit(articles: list[Article], task: str, meta: dict[str, Any] | None = None) -> LinearModel | None:
    """Train one decision's model; None when the articles hold no two classes for it."""
    data = examples(articles, task)
    labels = [y for _, y in data]
    classes = sorted(set(labels))
    if len(classes) < 2:
        return None
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([f for f, _ in data])
    clf = LogisticRegression(C=C[task], max_iter=3000, solver="lbfgs", random_state=0)
    boost = OPTION_WEIGHT.get(task, 1.0)
    sample_weight = [boost if y == "yes" and "none" not in f else 1.0 for f, y in data]
    clf.fit(x, labels, sample_weight=sample_weight)
    names = vec.get_feature_names_out()
    coef = clf.coef_
    weights: dict[str, list[float]] = {}
    for k, name in enumerate(names):
        col = [float(coef[c, k]) for c in range(coef.shape[0])]
        if max(abs(w) for w in col) >= MIN_WEIGHT:
            weights[str(name)] = [round(w, DIGITS) for w in col]
    bias = [round(float(b), DIGITS) for b in clf.intercept_]
    info = {
        "examples": len(data),
        "features": len(weights),
        "C": C[task],
        "class_counts": {c: labels.count(c) for c in classes},
        **(meta or {}),
    }
    if task == "figure":
        info["threshold"] = FIGURE_THRESHOLD
    return LinearModel(task, [str(c) for c in clf.classes_], bias, weights, info)


def fit_all(articles: list[Article], meta: dict[str, Any] | None = None) -> dict[str, LinearModel]:
    from tally.extract.decide import TASKS

    out = {}
    for task in TASKS:
        model = fit(articles, task, meta)
        if model is not None:
            out[task] = model
    return out
