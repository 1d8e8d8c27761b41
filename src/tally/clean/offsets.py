"""Joining kept lines into the cleaned text, with the segments that map it back.

Each segment is (clean_start, raw_start, length): a run of the cleaned text copied unchanged
from the raw text. Consecutive lines whose raw separator is the one written out share a
segment, so a clean article is one segment.
"""

from __future__ import annotations

from tally.clean.lines import Line


def join(content: str, kept: list[Line]) -> tuple[str, list[tuple[int, int, int]]]:
    """The cleaned text: kept lines joined by a newline, or a blank line between paragraphs."""
    parts: list[str] = []
    segments: list[list[int]] = []
    pos = 0
    prev: Line | None = None
    for line in kept:
        if prev is not None:
            sep = "\n\n" if line.para or line.blanks > prev.blanks else "\n"
            parts.append(sep)
            pos += len(sep)
            last = segments[-1]
            if last[1] + last[2] == prev.end and content[prev.end : line.start] == sep:
                last[2] += len(sep) + line.end - line.start
            else:
                segments.append([pos, line.start, line.end - line.start])
        else:
            segments.append([pos, line.start, line.end - line.start])
        parts.append(line.text)
        pos += len(line.text)
        prev = line
    return "".join(parts), [(c, r, n) for c, r, n in segments]
