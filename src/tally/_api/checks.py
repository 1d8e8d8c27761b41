"""Checks on the values a library call is given: a bad one raises ArgumentError saying
what the call takes, instead of quietly matching nothing.

The vocabularies are the schema's (../shared/eval/SCHEMA.md); statuses are read from the
extractor's own status table, so a status it learns is a status the filters take.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from tally.errors import ArgumentError

ROLES = ("militants", "family", "victims", "officials", "civilians", "other")
SCOPES = ("cumulative", "current", "change")
POPULATIONS = ("all", "men", "women", "minors", "adults", "mixed")
# Years a filter may name: the span of the phenomenon with room either side.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:[T ][0-9:.+\-Z]*)?$")


@cache
def statuses() -> tuple[str, ...]:
    raw = files("tally.extract").joinpath("data/en/status.json").read_text(encoding="utf-8")
    return tuple(json.loads(raw)["order"])


@cache
def languages() -> tuple[str, ...]:
    """The languages the extractor has data for."""
    data = files("tally.extract").joinpath("data")
    return tuple(sorted(d.name for d in data.iterdir() if d.is_dir() and d.name != "common"))


def one_of(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise ArgumentError(f"unknown {name} {value!r}: use one of {', '.join(allowed)}")
    return value


def origin(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code in any case or a country's name ('France')."""
    if value is None:
        return None
    text = str(value).strip()
    if text.upper() == "XK" or text.casefold() == "kosovo":
        return "XK"
    import pycountry

    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()) is not None:
        return text.upper()
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        raise ArgumentError(
            f"unknown origin {value!r}: give an ISO 3166 country code such as 'FR', or a country's name"
        ) from None


def year(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise ArgumentError(f"{name} must be a year such as 2015, not {value!r}")
    return value


def years(since: Any, until: Any) -> tuple[int | None, int | None]:
    first, last = year("since", since), year("until", until)
    if first is not None and last is not None and first > last:
        raise ArgumentError(f"since ({first}) is after until ({last}): no figure can match")
    return first, last


def lang(value: str | None) -> str | None:
    return one_of("lang", value, languages())


def published(value: str | date | None) -> str | None:
    """A publication date as ISO text, from a date, a datetime or ISO text ('2016', '2016-03-10')."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    raise ArgumentError(f"published must be a date or ISO text such as '2016-03-10', not {value!r}")


def workers(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError(f"workers must be a whole number of at least 1, not {value!r}")
    return value
