"""The decision layer: which candidates are figures, and what each one says.

The rules read every candidate number (`reading.py`); trained classifiers, one per
decision, take the final say from the candidate's features (`features.py`,
`relations.py`): is-a-figure, status, scope, role, population, whether a count has a
country of origin at all (the rules say which), whether its group is the organisation
the rules name, unnamed jihadist groups or none, part_of and source.
The models are small JSON files in `models/`, made by `make train` from the shared gold
(`tally.train`); with a model absent, its decision stays the rules' own, so Tally runs
on rules alone when no model is shipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path

from tally.extract import attribution, relations
from tally.extract.features import DOCUMENT, IN_COUNTED, NO_COUNTRY_COUNTED, Candidate, words
from tally.extract.linear import LinearModel
from tally.model import Doc, Figure

# Who is within whom (men and women are within adults; men hold no women) is the ledger's
# accounting vocabulary, read here so that extraction and reconciling agree on it.
from tally.reconcile.vocab import may_overlap

# The attributes decided by one multiclass model each; "none" stands for null. Status
# comes first: the others read it (`own_status`).
ATTRIBUTES = ("status", "scope", "role", "population")
TASKS = ("figure", *ATTRIBUTES, "origin", "group", "part_of", "source")
NONE = "none"
# Decisions that read only some of a candidate's features (by name prefix): who the count
# is restricted to is said by the counted phrase and its neighbours, not by the verb.
FEATURES: dict[str, tuple[str, ...]] = {
    "population": (
        "rule:population",
        "rule:how",
        "rule:counted",
        "pop:",
        "cw",
        "head",
        "whole:",
        "dref:",
        "b1",
        "b2",
        "bw",
        "a1",
        "a2",
        "aw",
        "q:",
        "lang",
    ),
}


# Decisions that read all of a candidate's features but these: whether a number counts
# people, their fate and its time frame are said by its words, not by whether the rules
# gave it a country (which the document's country decides for many counts, and which made
# these decisions follow it), a source or a group; nor by whom the article as a whole
# speaks of (`features.document_bag`, which only the role decision reads).
_OTHER_READINGS = ("rule:origin", "rule:source", "rule:group")
UNREAD: dict[str, tuple[str, ...]] = {
    "figure": ("rule:origin", DOCUMENT),
    "status": (*_OTHER_READINGS, DOCUMENT),
    "scope": (*_OTHER_READINGS, DOCUMENT),
}


def select(task: str, feats: dict[str, float]) -> dict[str, float]:
    """The features decision `task` reads."""
    prefixes = FEATURES.get(task)
    if prefixes is None:
        unread = UNREAD.get(task)
        if unread:
            feats = {k: v for k, v in feats.items() if not k.startswith(unread)}
        if task in PAIRED and "verb=none" not in feats:
            return {**feats, **_pairs(feats)}
        return feats
    return {k: v for k, v in feats.items() if k.startswith(prefixes)}


# Decisions that also read pairs of features (`_pairs`).
PAIRED = ("status", "scope")


def _pairs(feats: dict[str, float]) -> dict[str, float]:
    """Conjunctions a linear model cannot form: the governing verb with its tense ("sont
    rentrés" is a return, "rentrent" may be one under way), the rules' status with the
    nearest status cue in the parse, and each of them with the tense. Only where the
    parse found the figure's verb: without one (German, fragments) the tense and the cue
    are the linear reading's guesses, and their pairs cost German status 0.02 in the
    grouped cross-validation."""
    verb = tense = rule = cue = None
    for k in feats:
        if k.startswith("verb~"):
            verb = k[5:]
        elif k.startswith("tense="):
            tense = k[6:]
        elif k.startswith("rule:status="):
            rule = k[12:]
        elif k.startswith("c:tree1:st:") and "|" not in k:
            cue = k[11:]
    out = {}
    if verb is not None:
        out[f"x:verb+tense={verb}|{tense}"] = 1.0
    out[f"x:rule+cue={rule}|{cue}"] = 1.0
    out[f"x:rule+tense={rule}|{tense}"] = 1.0
    out[f"x:cue+tense={cue}|{tense}"] = 1.0
    return out


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
    part = models.get("part_of")
    wholes: dict[int, int | None] = {}
    given: dict[int, Figure] = {}  # each figure decided so far, for its parts
    src = models.get("source")
    origin = models.get("origin")
    for i, c in enumerate(cands):
        if not keep[i]:
            continue
        changes: dict[str, object] = {}
        # The whole first: a part takes much of what it says from its whole (SCHEMA.md).
        if part is None:
            whole = c.antecedent if c.rule_part else None
        else:
            if i not in wholes:
                wholes.update(_wholes_of_list(cands, i, part, keep, decided))
            whole = wholes[i]
        changes["part_of"] = cands[whole].fig.span if whole is not None else None
        feats = {**c.features, **context(cands, i, decided, whole)}
        for name in ATTRIBUTES:
            model = models.get(name)
            rule = getattr(c.fig, name)
            if model is None or _rare(model, rule):
                changes[name] = rule  # too few examples to learn from: the rules' reading stands
            else:
                changes[name] = _decide(model, select(name, feats), rule, margin=not _fallback(name, rule, c))
            if name == "status":
                changes["status"] = _shared_status(cands, i, decided, whole, changes["status"])  # type: ignore[arg-type]
                feats.update(own_status(changes["status"]))  # type: ignore[arg-type]
        decided[i] = {name: changes[name] for name in ATTRIBUTES}  # type: ignore[misc]
        if src is not None:
            changes["source"] = _source(c, src)
        if origin is not None:
            changes["origin"] = _origin(c, origin)
        if (group := models.get("group")) is not None:
            changes["group"] = _group(c, group)
        fig = replace(c.fig, **changes)  # type: ignore[arg-type]
        if whole is not None and whole in given and _near(cands, whole, i):
            # A part that names no group of its own is counted within its whole's: "Of the
            # 150 IS fighters, 16 are women" counts 16 of IS (SCHEMA.md, part_of). Not a
            # total further back, which opened a list of fates each told on its own.
            for name in FROM_WHOLE:
                if getattr(fig, name) is None:
                    setattr(fig, name, getattr(given[whole], name))
        given[i] = fig
        if fig.status is None:
            fig.status = "other"
        if fig.role is None:
            fig.role = c.fig.role
        if fig.population is None:
            fig.population = "all"
        out.append(fig)
    return out


# What a part that names none of its own takes from its whole. Not its source or scope:
# a whole's decided source or scope, wrong more often than its group, spreads its errors
# (grouped CV: EN source -0.005 and FR scope -0.002 when parts took them too).
FROM_WHOLE = ("group",)


# Sentences between a part and a whole whose attributes it is read with; a whole further
# back opens a list of fates rather than a breakdown of one.
NEAR_WHOLE = 2


def _near(cands: list[Candidate], whole: int, i: int) -> bool:
    """Whether candidate `i`'s whole stands close enough to be read with it (NEAR_WHOLE)."""
    return cands[i].sentence - cands[whole].sentence <= NEAR_WHOLE


def context(
    cands: list[Candidate], i: int, decided: dict[int, dict[str, str | None]], whole: int | None = None
) -> dict[str, float]:
    """Features from the figures decided before candidate `i`: its whole, if it is a part
    ("130 – including 68 men"), the one it refers back to ("About 90 of them are women"),
    and the last one before it, which a list's items and an article's follow-ups take
    their status from.

    At training time `decided` holds the gold attributes of the earlier figures."""
    f: dict[str, float] = {}
    me = cands[i]
    if whole is not None and not _near(cands, whole, i):
        f["whole:far"] = 1.0  # a total that opened a list of fates: each part tells its own
    elif whole is not None:
        d = decided.get(whole)
        if d is None:
            f["whole:later"] = 1.0
        else:
            for name, value in d.items():
                f[f"whole:{name}={value}"] = 1.0
    else:
        f["whole:none"] = 1.0
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


# A class the training data holds fewer examples of than this is not learned: where the
# rules read it ("deserted", a "change" in scope), their reading stands.
MIN_CLASS_EXAMPLES = 40


# When the model's best class leads the rules' reading by less than this probability,
# the rules' reading stands: a near tie is no evidence against them.
RULE_MARGIN = 0.1


def _decide(
    model: LinearModel, feats: dict[str, float], rule: str | None, *, margin: bool = True
) -> str | None:
    """The model's class, or the rules' reading where the model leads it by less than
    RULE_MARGIN (unless `margin` is off)."""
    p = model.proba(feats)
    best = max(model.classes, key=lambda c: p[c])
    key = NONE if rule is None else rule
    if margin and key in p and p[best] - p[key] < RULE_MARGIN:
        best = key
    return None if best == NONE else best


def _fallback(name: str, rule: str | None, c: Candidate) -> bool:
    """Whether the rules' reading of attribute `name` is their fallback: `other` for a fate
    no cue of any zone spoke of (`predicate.status` gave no zone). That is no reading to
    keep on a near tie (grouped CV, four splits: FR status +.0024, up on 4 of 4; EN and
    DE unchanged)."""
    return name == "status" and rule == "other" and "rule:where=" in c.features


def _rare(model: LinearModel, rule_value: str | None) -> bool:
    counts = model.meta.get("class_counts", {})
    return bool(counts) and counts.get(NONE if rule_value is None else rule_value, 0) < MIN_CLASS_EXAMPLES


def _shared_status(
    cands: list[Candidate],
    i: int,
    decided: dict[int, dict[str, str | None]],
    whole: int | None,
    status: str | None,
) -> str | None:
    """Candidate `i`'s status, or the one it shares when its own words say nothing of its
    fate: a breakdown its whole's (SCHEMA.md), a list item ("90 are still held in Syria,
    40 in Iraq") the item's before it, and so the sentence's that opens the list."""
    if _own_status_cue(cands[i]):
        return status
    if whole is not None and whole in decided:
        return decided[whole]["status"]
    if (before := _item_before(cands, i, decided)) is not None:
        return decided[before]["status"]
    return status


def own_status(status: str | None) -> dict[str, float]:
    """The figure's own decided status, read by the decisions after it: a fate says much
    of its time frame (departures and deaths are running totals, a camp's residents a
    stock) where the clause's tense says little ("600 would still be there and 170 would
    have died"). At training time the gold status stands in."""
    return {f"own:status={status}": 1.0}


def _item_before(cands: list[Candidate], i: int, decided: dict[int, dict[str, str | None]]) -> int | None:
    """The nearest figure before candidate `i` in the list it is an item of, if any."""
    j = i - 1
    while j >= 0 and relations.listed_after(cands, j):
        if j in decided:
            return j
        j -= 1
    return None


def _own_status_cue(c: Candidate) -> bool:
    return any(k.startswith(("c:clause:st:", "lin:st=")) for k in c.features)


# A number the rules reject, with no word of the domain near it, is kept only when the
# model is at least this sure of it: lists of countries ("Tunisia (3,000)") two sentences
# after the war they are about are kept, a general news story's counts are not.
SURE = 0.9


def _is_figure(c: Candidate, models: Models) -> bool:
    if c.reject == "not-people" and "thing-after" in c.features:
        return False  # the rules read a noun of things after it ("100 countries"): never people
    model = models.get("figure")
    if model is None:
        return c.reject is None
    p = model.positive(select("figure", c.features))
    if c.reject is not None and "off-domain" in c.features and p < SURE:
        return False  # the rules would not take it, and nothing near speaks of the domain
    return p >= float(model.meta.get("threshold", 0.5))


def _whole_scores(
    cands: list[Candidate],
    i: int,
    model: LinearModel,
    keep: list[bool],
    decided: dict[int, dict[str, str | None]],
) -> dict[int, float]:
    """How likely each option is the whole of candidate `i`; "no whole" is an option too.
    A figure whose population holds no one of the part's ("12 women" beside "288 men")
    is no whole of it: the two are siblings of one total."""
    out: dict[int, float] = {}
    mine = cands[i].fig.population or "all"
    for j, f in relations.part_options(cands, i):
        if j != relations.NO_WHOLE and not keep[j]:
            continue
        theirs = decided.get(j, {}).get("population")  # none for "no whole" and for later wholes
        if theirs and not may_overlap(theirs, mine):
            continue
        out[j] = model.positive(f)
    return out


def _best(scores: dict[int, float]) -> int:
    return max(scores, key=scores.__getitem__) if scores else relations.NO_WHOLE  # the nearest of equals


def _wholes_of_list(
    cands: list[Candidate],
    i: int,
    model: LinearModel,
    keep: list[bool],
    decided: dict[int, dict[str, str | None]],
) -> dict[int, int | None]:
    """The whole of candidate `i`, and of the items listed with it ("seven men, six women
    and 12 children"): the items of one list are parts of one whole or of none, so they
    choose together, on their summed evidence, instead of each on its own."""
    run = [i]
    scores = [_whole_scores(cands, i, model, keep, decided)]
    while relations.listed_after(cands, run[-1]) and keep[run[-1] + 1]:
        nxt = run[-1] + 1
        s = _whole_scores(cands, nxt, model, keep, decided)
        if _best(s) in run:
            break  # its whole is an item before it ("300 left, 90 returned"): no list of siblings
        run.append(nxt)
        scores.append(s)
    # A whole one item's population rules out ("12 women" for "five women and eleven
    # children") is no whole of the list.
    common = [j for j in scores[0] if j not in run and all(j in s for s in scores)]
    choice = _best({j: sum(s[j] for s in scores) for j in common})
    return {k: None if choice == relations.NO_WHOLE else choice for k in run}


def _origin(c: Candidate, model: LinearModel) -> str | None:
    """The rules' origin, or none, or the country the document is about: the model says
    whether the count has one country of origin at all; the rules, which one. A near tie
    leaves the rules' reading (RULE_MARGIN)."""
    rule = c.fig.origin
    if IN_COUNTED in c.origin_features:
        return rule  # the counted phrase names its nationality ("200 Belgian women")
    if NO_COUNTRY_COUNTED in c.origin_features:
        return None  # "12,000 foreigners": of no one country, not the document's
    has = _decide(model, origin_features(c), "yes" if rule is not None else "no") == "yes"
    if not has:
        return None
    return rule if rule is not None else c.default_origin


# The group decision's classes: the organisation the rules read, "jihadist", or none.
GROUP_RULE = "rule"
JIHADIST = "jihadist"


def group_class(value: str | None, rule: str | None) -> str | None:
    """The group decision's class of a group `value` given the rules' reading: none,
    "jihadist", or the rules' named organisation; None when `value` names another one,
    which this decision cannot give."""
    if value is None:
        return NONE
    if value == JIHADIST:
        return JIHADIST
    return GROUP_RULE if value == rule else None


def _group(c: Candidate, model: LinearModel) -> str | None:
    """Whether the counted people are tied to the organisation the rules name, to
    jihadist groups left unnamed ("terrorism charges", "armed groups"), or to none: the
    rules name organisations well and miss the many ways of describing them (SCHEMA.md).
    A near tie leaves the rules' reading (RULE_MARGIN)."""
    rule = c.fig.group
    got = _decide(model, group_features(c), group_class(rule, rule))
    if got == GROUP_RULE:
        return rule
    return JIHADIST if got == JIHADIST else None


def group_features(c: Candidate) -> dict[str, float]:
    """The group decision's features: the candidate's words (GROUP_FEATURES) and its
    sentence's, with which kind of group the rules read. None of them comes from the
    figures decided before it, so training and run time read the same bag."""
    kind = "none" if c.fig.group is None else ("jihadist" if c.fig.group == JIHADIST else "named")
    mine = {k: v for k, v in c.features.items() if k.startswith(GROUP_FEATURES)}
    # The sentence's words: "charged with terrorism" or "armed groups" may stand anywhere in it.
    for w in words(c.fig.quote):
        mine[f"gs={w}"] = 1.0
    return {**mine, f"rule:groupkind={kind}": 1.0}


# What the group decision reads: the words of the counted phrase, the clause and around
# the number, and the verb (and, in `group_features`, the sentence's); not the fate, time
# or source features.
GROUP_FEATURES = (
    "rule:group",
    "rule:how",
    "rule:counted",
    "cw",
    "head",
    "lin",
    "bw",
    "aw",
    "sw",
    "b1",
    "b2",
    "a1",
    "a2",
    "verb",
    "lang",
    "q:",
)


def origin_features(c: Candidate) -> dict[str, float]:
    """The origin decision's features: the candidate's but whom the article speaks of
    (`features.document_bag`), and those of `features.origin_bag`."""
    return {**{k: v for k, v in c.features.items() if not k.startswith(DOCUMENT)}, **c.origin_features}


# "No source" wins only where it leads the best phrase a sentence offers by this much. The
# chooser scores each option on its own, and a figure has one "no source" row against
# several phrase rows: its score runs high against any one of them, and the choice fell to
# "no source" for half of the figures it got wrong (grouped CV: X -> none 256, X -> Y 176,
# none -> X 89). Handicaps of 0.05 to 0.15 all raised source in French and German and left
# English within a figure; 0.1 is the middle (chosen on the same folds it is reported on).
NO_SOURCE_HANDICAP = 0.1


def _source(c: Candidate, model: LinearModel) -> str | None:
    """The best-scored option ("no source" is one of them), with the name set beside it
    when another option gives one: "der Leiter des Landesamts, Karl Beispiel" names the
    speaker by office and by name, where the office alone leaves a reader to look the
    name up (SCHEMA.md: the phrase that names the speaker)."""
    best, best_p = relations.NO_SOURCE, -1.0
    options = relations.source_options(c)
    for text, f in options:
        p = model.positive(f) - (NO_SOURCE_HANDICAP if text == relations.NO_SOURCE else 0.0)
        if p > best_p:
            best, best_p = text, p
    if best:
        for text, _ in options:
            if text.startswith(best + ", ") and _NAME.fullmatch(text[len(best) + 2 :]):
                return text
    return best or None


_NAME = re.compile(attribution.NAME)
