"""The training corpus: shared articles, their gold figures, and the candidates the rules
find in them, each aligned with the gold figure it states (if any)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tally import clean, ingest
from tally.extract import document
from tally.extract.features import Candidate
from tally.extract.lexicon import LANGS
from tally.model import Doc, Failure

SETS = ("seeds", "dev", "train")
# Tally's own articles, written for the project with gold by the team (see its README).
OWN = Path(__file__).resolve().parents[3] / "tests" / "data" / "heldout"
_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "«": '"',
        "»": '"',
    }
)


def fold(text: object) -> str:
    """Text as the gold is compared: whitespace folded, typographic quotes straight, case-folded."""
    if text is None:
        return ""
    return re.sub(r"\s+", " ", str(text).translate(_QUOTES)).strip().casefold()


@dataclass(slots=True)
class Article:
    """One shared article: its cleaned document, gold figures and candidates."""

    doc_id: str
    lang: str
    doc: Doc
    gold: list[dict[str, Any]]
    cands: list[Candidate] = field(default_factory=list)
    match: dict[int, int] = field(default_factory=dict)  # candidate index -> gold index


def _close(a: object, b: object) -> bool:
    if a is None or b is None:
        return False
    x, y = float(a), float(b)  # type: ignore[arg-type]
    return abs(x - y) <= 0.01 * max(1.0, abs(y))


def number_agrees(g: dict[str, Any], fig: Any) -> bool:
    """The shared scorer's rule: same value, or same bounds; a vague amount by its words."""
    if g.get("qualifier") == "vague":
        gs, ps = fold(g.get("span")), fold(fig.span)
        return bool(gs and ps) and (gs in ps or ps in gs)
    if g.get("value") is not None:
        if g.get("kind") == "fraction" and fig.value is not None and _close(fig.value * 100, g["value"]):
            return True
        return _close(fig.value, g["value"])
    return _close(fig.low, g.get("low")) and _close(fig.high, g.get("high"))


def agrees(g: dict[str, Any], fig: Any) -> bool:
    return number_agrees(g, fig) and fold(g["span"]) in fold(fig.quote)


def align(gold: list[dict[str, Any]], cands: list[Candidate]) -> dict[int, int]:
    """One-to-one: each gold figure (core first) takes the first free candidate that states
    it, preferring one whose span is written the same and whose sentence holds its quote."""
    taken: dict[int, int] = {}
    order = sorted(range(len(gold)), key=lambda k: not gold[k].get("core", True))
    for k in order:
        g = gold[k]
        options = [i for i, c in enumerate(cands) if i not in taken and agrees(g, c.fig)]
        if not options:
            continue
        gq = fold(g.get("quote"))

        def rank(i: int, gq: str = gq, g: dict[str, Any] = g) -> tuple[bool, bool, int]:
            q = fold(cands[i].fig.quote)
            return (fold(cands[i].fig.span) != fold(g["span"]), not (gq in q or q in gq), i)

        taken[min(options, key=rank)] = k
    return taken


def sources(shared: Path, own: Path | None = None) -> list[tuple[Path, Path]]:
    """(folder of articles, gold file) pairs: the shared sets, then Tally's own articles."""
    out = [(shared / "eval" / "docs" / name, shared / "eval" / "gold" / f"{name}.jsonl") for name in SETS]
    if own is not None and (own / "gold.jsonl").is_file():
        out.append((own, own / "gold.jsonl"))
    return out


def documents(pairs: list[tuple[Path, Path]]) -> Iterator[Path]:
    for folder, _ in pairs:
        yield from sorted(folder.glob("*.txt"))


def gold_rows(pairs: list[tuple[Path, Path]]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for _, gold in pairs:
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                rows.setdefault(g["doc"], []).append(g)
    return rows


def data_hash(pairs: list[tuple[Path, Path]]) -> str:
    """SHA-256 over the gold files and the articles, in a fixed order."""
    h = hashlib.sha256()
    for _, gold in pairs:
        h.update(gold.read_bytes())
    for path in documents(pairs):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def load(pairs: list[tuple[Path, Path]], langs: tuple[str, ...] = LANGS) -> list[Article]:
    """Every article in `langs`, read by the rules and aligned with its gold."""
    gold = gold_rows(pairs)
    out: list[Article] = []
    for path in documents(pairs):
        item = next(ingest.read([str(path)]))
        if isinstance(item, Failure):
            raise RuntimeError(item.line())
        doc = clean.clean(item)
        lang = doc.lang or "en"
        if lang not in langs:
            continue
        art = Article(path.stem, lang, doc, gold.get(path.stem, []))
        art.cands = document.candidates(doc)
        art.match = align(art.gold, art.cands)
        out.append(art)
    return out
