"""Near-duplicate documents grouped into stories with MinHash LSH (datasketch).

Syndicated wire copy, reprints and mirrors carry the same figures; reconciliation
must count them as one report. Each document gets a MinHash signature of its word
shingles; a new document joins the story of its most similar stored document when
their estimated Jaccard similarity reaches `STORY_THRESHOLD`, else it founds a story.

Signatures are computed in the extraction workers (CPU) and stored with the document,
so the index is rebuilt from the store when an ingest starts. Only documents with
figures get one (see `tally.ledger`): a document without a signature is a story of
its own.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from tally.store.records import normalise_text

# Estimated Jaccard similarity of word shingles at or above which two documents are
# copies of one story. A reprint with a new headline, a changed lede or an added
# paragraph stays well above it; two articles on the same subject sharing a quote or
# two fall far below.
STORY_THRESHOLD = 0.6
# Words per shingle: three words keep the measure tolerant of small edits (one changed
# word spoils three shingles) while common phrases alone do not make texts similar.
SHINGLE_WORDS = 3
# Permutations per signature: 128 gives a Jaccard estimate within about +/-0.09
# (two standard errors) for the threshold above.
NUM_PERM = 128
# How LSH trades false positives against false negatives when it picks its bands. Every
# candidate is checked against the threshold, so false positives cost one comparison,
# while a false negative splits a story: (0.05, 0.95) gives 24 bands of 4 rows, which
# misses about 1% of pairs at similarity 0.65 (datasketch's even weights miss 40%).
LSH_WEIGHTS = (0.05, 0.95)
SEED = 1
# Each word is hashed with CRC-32 (deterministic in every process, unlike hash()), and
# a shingle's hash mixes its words' hashes with these odd multipliers, in numpy, so a
# signature costs a fraction of a millisecond. Changing any of this changes every
# signature: stored documents would no longer group with new ones.
_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F][:SHINGLE_WORDS], dtype=np.uint64)
SCHEME = "affine32"
_DTYPE = np.uint32

_template: MinHash | None = None


def _same(hv: int) -> int:
    """Shingles arrive hashed already: the MinHash's hash function passes them through."""
    return hv


def _permutations() -> object:
    """The hash permutations, built once per process: they dominate MinHash set-up."""
    global _template
    if _template is None:
        _template = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_same, scheme=SCHEME)
    return _template.permutations


def shingles(text: str, *, normalised: bool = False) -> np.ndarray:
    """The distinct 32-bit hashes of a text's word shingles, normalised as the document key is.

    A text shorter than a shingle is one shingle of all its words.
    """
    words = (text if normalised else normalise_text(text)).split()
    if not words:
        return np.empty(0, dtype=np.uint64)
    hashes = np.fromiter(
        (zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words), dtype=np.uint64, count=len(words)
    )
    k = min(SHINGLE_WORDS, len(words))
    n = len(words) - k + 1
    mixed = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        mixed += hashes[j : j + n] * _MIX[j]  # wraps modulo 2**64, as intended
    return np.unique((mixed ^ (mixed >> np.uint64(32))) & np.uint64(0xFFFFFFFF))


def signature(text: str, *, normalised: bool = False) -> bytes | None:
    """The MinHash signature of a text as bytes, or None for a text with no words."""
    grams = shingles(text, normalised=normalised)
    if not len(grams):
        return None
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_same, permutations=_permutations(), scheme=SCHEME)
    m.update_batch(grams.tolist())
    return np.asarray(m.hashvalues, dtype=_DTYPE).tobytes()


def _minhash(sig: bytes) -> LeanMinHash:
    return LeanMinHash(hashvalues=np.frombuffer(sig, dtype=_DTYPE), seed=SEED, scheme=SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(_minhash(a).jaccard(_minhash(b)))


class StoryIndex:
    """The stories of the stored documents, and an LSH index to place new ones."""

    def __init__(self, threshold: float = STORY_THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self._story: dict[str, str] = {}
        self._sig: dict[str, LeanMinHash] = {}
        self._order: dict[str, int] = {}

    @classmethod
    def load(cls, rows: Iterable[tuple[str, str | None, bytes | None]]) -> StoryIndex:
        """An index over stored (document key, story id, signature) rows."""
        index = cls()
        for key, story, sig in rows:
            index._add(key, story or key, sig)
        return index

    def __contains__(self, key: str) -> bool:
        return key in self._story

    def story_of(self, key: str) -> str | None:
        return self._story.get(key)

    def _add(self, key: str, story: str, sig: bytes | None) -> None:
        self._story[key] = story
        self._order.setdefault(key, len(self._order))
        if sig is not None:
            m = _minhash(sig)
            self._sig[key] = m
            self._lsh.insert(key, m)

    def assign(self, key: str, sig: bytes | None) -> str:
        """The story a document belongs to, adding it to the index if it is new.

        A document already indexed keeps its story. Otherwise LSH gives candidates,
        each is checked against the threshold (LSH alone admits false positives), and
        the most similar one's story wins, the earliest stored on a tie.
        """
        if key in self._story:
            return self._story[key]
        story = key
        if sig is not None:
            m = _minhash(sig)
            best = -1.0
            for cand in sorted(self._lsh.query(m), key=self._order.__getitem__):
                sim = float(m.jaccard(self._sig[cand]))
                if sim >= self.threshold and sim > best:
                    best, story = sim, self._story[cand]
        self._add(key, story, sig)
        return story

    def forget(self, key: str) -> None:
        """Drop a document whose write failed, so no later document joins a phantom."""
        self._story.pop(key, None)
        self._order.pop(key, None)
        if self._sig.pop(key, None) is not None:
            self._lsh.remove(key)
