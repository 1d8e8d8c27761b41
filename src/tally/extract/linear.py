"""Linear models over sparse binary features, stored as small JSON files.

Trained with scikit-learn's LogisticRegression (`tally.train`), exported as the weights
of the features that matter. Run-time scoring is a sum of weight rows (the features are
binary), done with NumPy here rather than loading scikit-learn: its import costs about a second per process, and a
pickled estimator is tied to one scikit-learn release and runs code when loaded; a JSON
file of weights is neither.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
from pathlib import Path
from typing import Any


class LinearModel:
    """A multinomial (or binary) logistic model: classes, a bias and feature weights.

    Scoring reads a weight matrix and a feature -> row index. A model read from a file gets
    both as read and builds the `weights` dict only if something asks for it: turning the
    matrix into some 400,000 Python floats took about 0.1 s of every process's start."""

    __slots__ = ("_bias", "_bias_list", "_matrix", "_rows", "_weights", "bias", "classes", "meta", "task")

    def __init__(
        self,
        task: str,
        classes: list[str],
        bias: list[float],
        weights: dict[str, list[float]] | None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.task = task
        self.classes = classes
        self.bias = bias
        self.meta: dict[str, Any] = meta if meta is not None else {}
        self._weights = weights
        self._rows: dict[str, int] | None = None
        self._matrix: Any = None
        self._bias: Any = None
        self._bias_list: list[float] = []

    def __repr__(self) -> str:
        return f"LinearModel({self.task!r}, {len(self.classes)} classes, {len(self._index())} features)"

    @property
    def weights(self) -> dict[str, list[float]]:
        """Feature -> its weight per class (per class after the first, for a binary model)."""
        if self._weights is None:
            rows = self._matrix.tolist()
            self._weights = {name: rows[k] for name, k in self._index().items()}
        return self._weights

    def scores(self, features: dict[str, float]) -> list[float]:
        index = self._index()
        rows = [r for r in map(index.get, features) if r is not None]
        if not rows:
            return list(self._bias_list)
        total: list[float] = (self._bias + self._matrix.take(rows, axis=0).sum(axis=0)).tolist()
        return total

    def _index(self) -> dict[str, int]:
        """Feature -> row of a weight matrix, built on first use (features are binary)."""
        if self._rows is None:
            import numpy as np

            assert self._weights is not None  # a model has its weights, or the matrix read from its file
            self._rows = {name: k for k, name in enumerate(self._weights)}
            self._matrix = np.array(list(self._weights.values()), dtype=float).reshape(len(self._weights), -1)
            self._bias = np.array(self.bias, dtype=float)
            self._bias_list = self._bias.tolist()
        return self._rows

    def proba(self, features: dict[str, float]) -> dict[str, float]:
        s = self.scores(features)
        if len(self.classes) == 2 and len(s) == 1:
            p = 1.0 / (1.0 + math.exp(-s[0]))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(s)
        e = [math.exp(x - top) for x in s]
        total = sum(e)
        return {c: v / total for c, v in zip(self.classes, e, strict=True)}

    def predict(self, features: dict[str, float]) -> str:
        p = self.proba(features)
        return max(self.classes, key=lambda c: p[c])

    def positive(self, features: dict[str, float]) -> float:
        """For a binary model: the probability of its second class."""
        return self.proba(features)[self.classes[1]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "classes": self.classes,
            "bias": self.bias,
            "meta": self.meta,
            "weights": dict(sorted(self.weights.items())),
        }

    def save(self, path: Path) -> None:
        """Write the model as gzipped JSON, byte-identical for identical weights. The
        weight rows go as one base64 string of little-endian float32 (`matrix`) beside the
        sorted feature names: parsing some 400,000 decimal numbers took about 0.4 s of
        every process's start, decoding the string takes milliseconds, and float32 keeps
        the five decimals the weights are rounded to."""
        import numpy as np

        names = sorted(self.weights)
        rows = np.array([self.weights[n] for n in names], dtype="<f4").reshape(len(names), len(self.bias))
        data = {
            "task": self.task,
            "classes": self.classes,
            "bias": self.bias,
            "meta": self.meta,
            "features": names,
            "matrix": base64.b64encode(rows.tobytes()).decode("ascii"),
        }
        raw = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
        with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
            gz.write(raw.encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        meta = data.get("meta", {})
        if "weights" in data:  # a file written before `matrix`
            return cls(data["task"], data["classes"], data["bias"], data["weights"], meta)
        import numpy as np

        names: list[str] = data["features"]
        matrix = np.frombuffer(base64.b64decode(data["matrix"]), dtype="<f4")
        matrix = matrix.reshape(len(names), len(data["bias"])).astype(float)
        model = cls(data["task"], data["classes"], data["bias"], None, meta)
        # The index `_index` would build from `weights`, from the matrix as read.
        model._rows = {name: k for k, name in enumerate(names)}
        model._matrix = matrix
        model._bias = np.array(model.bias, dtype=float)
        model._bias_list = model._bias.tolist()
        return model
