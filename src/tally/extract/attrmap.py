"""spaCy's attribute ruler, applied by dictionary look-up instead of its Matcher.

The English pipeline's attribute ruler (179 rules mapping tags to parts of speech and
morphology, with word exceptions) takes about a third of the parse time on the sentences
Tally reads: spaCy runs every rule as a Matcher pattern over every token. Almost all of
its rules test one token's tag, part of speech or lower-cased form, so the rules that can
match a token are found by looking those up, and only they are checked. spaCy offers no
faster mode for this component, hence this module.

The result is the ruler's own: the same rules, read from the loaded component, matched
on the attributes before any is changed, and applied in the ruler's order, a later rule
winning (as `AttributeRuler.match` sorts them). A test compares both token by token on
the eval articles. A ruler using a pattern key this module does not read is left in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

NAME = "attribute_ruler"
# Token attributes a rule may test, as the Matcher reads them.
_READ: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_,
    "POS": lambda t: t.pos_,
    "LOWER": lambda t: t.lower_,
    "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}
# Keys by which a rule's first token is indexed, most selective first.
_INDEXED = ("LOWER", "TAG", "POS", "DEP", "IS_SPACE")

Test = Callable[[Any], bool]


class Unsupported(ValueError):
    """A rule this module cannot read: the ruler stays as it is."""


def _test(spec: Any) -> Test:
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            allowed = frozenset(spec["IN"])
            return lambda v: v in allowed
        if set(spec) == {"NOT_IN"}:
            banned = frozenset(spec["NOT_IN"])
            return lambda v: v not in banned
        if set(spec) == {"REGEX"}:
            rx = re.compile(spec["REGEX"])
            return lambda v: rx.search(v) is not None
        raise Unsupported(f"predicate {spec!r}")
    return lambda v: v == spec


def _token_check(spec: dict[str, Any]) -> Callable[[Token], bool]:
    tests = []
    for key, value in spec.items():
        if key not in _READ:
            raise Unsupported(f"attribute {key!r}")
        tests.append((_READ[key], _test(value)))
    return lambda t: all(test(read(t)) for read, test in tests)


def _values(spec: Any) -> list[Any] | None:
    """The values a first-token test accepts, when it names them."""
    if isinstance(spec, dict):
        return list(spec["IN"]) if set(spec) == {"IN"} else None
    return [spec]


class AttributeMap:
    """The rules of one AttributeRuler, indexed by what their first token must be."""

    def __init__(self, ruler: Any) -> None:
        self.rules: list[tuple[int, list[Callable[[Token], bool]], Any, int]] = []
        self.index: dict[tuple[str, Any], list[int]] = {}
        self.always: list[int] = []
        self.attrs = ruler.attrs
        for rule_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if not pattern or any(not isinstance(tok, dict) or "OP" in tok for tok in pattern):
                    raise Unsupported(f"pattern {pattern!r}")
                k = len(self.rules)
                self.rules.append(
                    (rule_id, [_token_check(tok) for tok in pattern], entry["index"], len(pattern))
                )
                first = pattern[0]
                key = next((a for a in _INDEXED if a in first and _values(first[a]) is not None), None)
                if key is None:
                    self.always.append(k)
                else:
                    for v in _values(first[key]) or []:
                        self.index.setdefault((key, v), []).append(k)

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs  # the ruler's own setter

        hits: list[tuple[int, int]] = []  # (rule, token), matched before anything is set
        n = len(doc)
        for i, tok in enumerate(doc):
            keys = (
                ("LOWER", tok.lower_),
                ("TAG", tok.tag_),
                ("POS", tok.pos_),
                ("DEP", tok.dep_),
                ("IS_SPACE", tok.is_space),
            )
            seen = set(self.always)
            for key in keys:
                seen.update(self.index.get(key, ()))
            for k in seen:
                rule_id, checks, index, width = self.rules[k]
                if i + width > n or not all(check(doc[i + j]) for j, check in enumerate(checks)):
                    continue
                target = i + (index if index >= 0 else width + index)
                hits.append((rule_id, target))
        for rule_id, target in sorted(set(hits)):
            set_token_attrs(doc[target], self.attrs[rule_id])
        return doc


def of(nlp: Language) -> AttributeMap | None:
    """The indexed twin of the pipeline's attribute ruler; None when it has none or one
    this module cannot read (the ruler then runs as it is)."""
    if NAME not in nlp.pipe_names:
        return None
    try:
        return AttributeMap(nlp.get_pipe(NAME))
    except Unsupported:
        return None
