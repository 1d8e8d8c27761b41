"""Stories: near-duplicates grouped by MinHash LSH at a named threshold."""

from __future__ import annotations

from tally.store import stories
from tally.store.stories import STORY_THRESHOLD, StoryIndex, shingles, signature, similarity

# Margin around the threshold within which MinHash's estimate may fall either way.
MARGIN = 0.15


def _words(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def _jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a).tolist()), set(shingles(b).tolist())
    return len(sa & sb) / len(sa | sb)


def _edited(base: list[str], replaced: int) -> str:
    """`base` with its last `replaced` words swapped for new ones."""
    return " ".join(base[: len(base) - replaced] + _words("new", replaced))


def test_the_threshold_is_the_named_constant() -> None:
    assert StoryIndex().threshold == STORY_THRESHOLD == 0.6
    assert stories.SHINGLE_WORDS == 3


def test_a_copy_above_the_threshold_joins_the_story() -> None:
    base = _words("w", 300)
    original, reprint = " ".join(base), _edited(base, 40)
    assert _jaccard(original, reprint) >= STORY_THRESHOLD + MARGIN
    index = StoryIndex()
    assert index.assign("a", signature(original)) == "a"
    assert index.assign("b", signature(reprint)) == "a"


def test_a_text_below_the_threshold_founds_its_own_story() -> None:
    base = _words("w", 300)
    original, rewrite = " ".join(base), _edited(base, 180)
    assert _jaccard(original, rewrite) <= STORY_THRESHOLD - MARGIN
    index = StoryIndex()
    index.assign("a", signature(original))
    assert index.assign("b", signature(rewrite)) == "b"


def test_the_estimate_tracks_the_exact_similarity() -> None:
    base = _words("w", 300)
    for replaced in (0, 30, 90, 150, 240):
        a, b = " ".join(base), _edited(base, replaced)
        sa, sb = signature(a), signature(b)
        assert sa is not None and sb is not None
        assert abs(similarity(sa, sb) - _jaccard(a, b)) < MARGIN


def test_case_and_spacing_do_not_matter_and_empty_text_has_no_signature() -> None:
    assert signature("Some 300  Fighters\nreturned home") == signature("some 300 fighters returned home")
    assert signature("  ") is None


def test_a_document_joins_the_most_similar_story_and_keeps_it() -> None:
    base = _words("w", 300)
    other = _words("z", 300)
    index = StoryIndex.load([("a", "a", signature(" ".join(base))), ("z", "z", signature(" ".join(other)))])
    assert "a" in index and index.story_of("z") == "z"
    assert index.assign("b", signature(_edited(base, 20))) == "a"
    assert index.assign("b", signature(" ".join(other))) == "a"  # already placed: stays


def test_forgetting_a_document_removes_it_from_the_index() -> None:
    base = " ".join(_words("w", 300))
    index = StoryIndex()
    index.assign("a", signature(base))
    index.forget("a")
    assert "a" not in index
    assert index.assign("b", signature(base)) == "b"


def test_short_texts_still_get_a_shingle_and_word_order_matters() -> None:
    assert len(shingles("two words")) == 1
    assert len(shingles("a b c a b c")) == 3  # "a b c", "b c a", "c a b": distinct, counted once
    assert shingles("a b c").tolist() != shingles("c b a").tolist()


def test_lsh_rarely_misses_a_pair_just_above_the_threshold() -> None:
    """Over many pairs at true similarity ~0.66-0.7, the index finds nearly all."""
    found = 0
    for k in range(40):
        base = _words(f"d{k}_", 300)
        index = StoryIndex()
        index.assign("a", signature(" ".join(base)))
        found += index.assign("b", signature(_edited(base, 55))) == "a"
    assert found >= 36
