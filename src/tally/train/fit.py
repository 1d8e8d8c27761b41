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
from tally.extract.decide import ATTRIBUTES, NONE, context
from tally.extract.linear import LinearModel
from tally.train.corpus import Article, fold

# Inverse regularisation strength per decision (scikit-learn's C).
C = {
    "figure": 0.5,
    "status": 0.5,
    "scope": 0.5,
    "role": 0.5,
    "population": 0.5,
    "part_of": 0.5,
    "source": 0.5,
}
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
                out.append((c.features, "yes" if g is not None else "no"))
                continue
            if g is None:
                continue
            if task in ATTRIBUTES:
                value = _gold(g, task)
                feats = {**c.features, **context(art.cands, i, decided)}
                out.append((feats, NONE if value is None else value))
            elif task == "part_of":
                want = fold(g.get("part_of"))
                hit = False
                for j, f in relations.part_options(art.cands, i):
                    right = bool(want) and not hit and fold(art.cands[j].fig.span) == want
                    hit = hit or right
                    out.append((f, "yes" if right else "no"))
            elif task == "source":
                want = fold(g.get("source"))
                for text, f in relations.source_options(c):
                    got = fold(text)
                    right = bool(want) and (want in got or got in want)
                    out.append((f, "yes" if right else "no"))
            # Later candidates see this figure's gold attributes, as at run time they see
            # the decided ones (`decide.context`).
            decided[i] = {name: _gold(g, name) for name in ATTRIBUTES}
    return out


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
    clf.fit(x, labels)
    names = vec.get_feature_names_out()
    coef = clf.coef_
    weights: dict[str, list[float]] = {}
    for k, name in enumerate(names):
        col = [float(coef[c, k]) for c in range(coef.shape[0])]
        if max(abs(w) for w in col) >= MIN_WEIGHT:
            weights[str(name)] = [round(w, DIGITS) for w in col]
    bias = [round(float(b), DIGITS) for b in clf.intercept_]
    info = {"examples": len(data), "features": len(weights), "C": C[task], **(meta or {})}
    return LinearModel(task, [str(c) for c in clf.classes_], bias, weights, info)


def fit_all(articles: list[Article], meta: dict[str, Any] | None = None) -> dict[str, LinearModel]:
    from tally.extract.decide import TASKS

    out = {}
    for task in TASKS:
        model = fit(articles, task, meta)
        if model is not None:
            out[task] = model
    return out
