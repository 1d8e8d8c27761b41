"""Which language a cleaned text is in, so it goes to that language's pipeline.

py3langid (a maintained, offline re-packaging of langid.py) answers in a few
milliseconds; it is right on every document of ../shared/eval. A text too short to
judge is taken as English, the language most of the feeds Tally reads are in.
"""

from __future__ import annotations

# Below this many characters a guess is noise: say English.
MIN_CHARS = 40
# Only the start of a long article is read: the language does not change halfway, and
# 1,000 characters (about 170 words) are plenty for two dozen candidate languages.
SAMPLE_CHARS = 1000


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language ('en', 'fr', 'pt', ...)."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return "en"
    import py3langid  # loads its model on first use: a cost only runs that read text pay

    lang, _ = py3langid.classify(sample)
    return str(lang)
