"""The decision layer: which candidates are figures, and what each one says.

The rules read every candidate number (`reading.py`); trained classifiers, one per
decision, take the final say from the candidate's features (`features.py`,
`relations.py`): is-a-figure, status, scope, role, population, part_of and source.
The models are small JSON files in `models/`, made by `make train` from the shared gold
(`tally.train`); with a model absent, its decision stays the rules' own, so Tally runs
on rules alone when no model is shipped.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path

from tally.extract import relations
from tally.extract.features import Candidate
from tally.extract.linear import LinearModel
from tally.model import Doc, Figure

# The attributes decided by one multiclass model each; "none" stands for null.
ATTRIBUTES = ("status", "scope", "role", "population")
TASKS = ("figure", *ATTRIBUTES, "part_of", "source")
NONE = "none"


class Models:
    """The decision layer's models, those present; missing ones leave the rules' reading."""

    def __init__(self, models: dict[str, LinearModel]) -> None:
        self.by_task = models

    def get(self, task: str) -> LinearModel | None:
        return self.by_task.get(task)

    def __bool__(self) -> bool:
        return bool(self.by_task)


def models_dir() -> Path:
    return Path(str(resources.files("tally.extract") / "models"))


@cache
def shipped() -> Models:
    """The models shipped in the package, loaded once per process."""
    found: dict[str, LinearModel] = {}
    folder = models_dir()
    for task in TASKS:
        path = folder / f"{task}.json.gz"
        if path.is_file():
            found[task] = LinearModel.load(path)
    return Models(found)


def figures(cands: list[Candidate], doc: Doc, models: Models | None = None) -> list[Figure]:
    """The document's figures: every candidate the layer keeps, with its decided attributes."""
    models = shipped() if models is None else models
    if not models:
        return [c.fig for c in cands if c.reject is None]
    keep = [_is_figure(c, models) for c in cands]
    out: list[Figure] = []
    decided: dict[int, dict[str, str | None]] = {}
    for i, c in enumerate(cands):
        if not keep[i]:
            continue
        feats = {**c.features, **context(cands, i, decided)}
        changes: dict[str, object] = {}
        for name in ATTRIBUTES:
            model = models.get(name)
            if model is not None:
                value = model.predict(feats)
                changes[name] = None if value == NONE else value
            else:
                changes[name] = getattr(c.fig, name)
        decided[i] = {name: changes[name] for name in ATTRIBUTES}  # type: ignore[misc]
        part = models.get("part_of")
        if part is not None:
            changes["part_of"] = _part_of(cands, i, part)
        src = models.get("source")
        if src is not None:
            changes["source"] = _source(c, src)
        fig = replace(c.fig, **changes)  # type: ignore[arg-type]
        if fig.status is None:
            fig.status = "other"
        if fig.role is None:
            fig.role = c.fig.role
        if fig.population is None:
            fig.population = "all"
        out.append(fig)
    return out


def context(cands: list[Candidate], i: int, decided: dict[int, dict[str, str | None]]) -> dict[str, float]:
    """Features from the figures decided before candidate `i`: the one it refers back to
    ("About 90 of them are women") and the last one before it, which a list's items and
    an article's follow-ups take their status from.

    At training time `decided` holds the gold attributes of the earlier figures."""
    f: dict[str, float] = {}
    me = cands[i]
    if me.antecedent is not None:
        d = decided.get(me.antecedent)
        if d is None:
            f["dref:not-figure"] = 1.0
        else:
            for name, value in d.items():
                f[f"dref:{name}={value}"] = 1.0
    for j in range(i - 1, max(-1, i - 8), -1):
        d = decided.get(j)
        if d is not None:
            where = (
                "same"
                if cands[j].sentence == me.sentence
                else ("prev" if cands[j].sentence >= me.sentence - 1 else "far")
            )
            f[f"last:{where}:status={d['status']}"] = 1.0
            f[f"last:status={d['status']}"] = 1.0
            f[f"last:{where}:scope={d['scope']}"] = 1.0
            break
    return f


def _is_figure(c: Candidate, models: Models) -> bool:
    model = models.get("figure")
    if model is None:
        return c.reject is None
    return model.positive(c.features) >= float(model.meta.get("threshold", 0.5))


def _part_of(cands: list[Candidate], i: int, model: LinearModel) -> str | None:
    best, best_p = None, float(model.meta.get("threshold", 0.5))
    for j, f in relations.part_options(cands, i):
        p = model.positive(f)
        if p > best_p:
            best, best_p = j, p
    return cands[best].fig.span if best is not None else None


def _source(c: Candidate, model: LinearModel) -> str | None:
    best, best_p = None, float(model.meta.get("threshold", 0.5))
    for text, f in relations.source_options(c):
        p = model.positive(f)
        if p > best_p:
            best, best_p = text, p
    return best
