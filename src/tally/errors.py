"""One error tree for the library; only the CLI turns these into messages and exit codes."""

from __future__ import annotations


class TallyError(Exception):
    """Base of every error Tally raises on purpose."""


class InputError(TallyError):
    """An input could not be read or decoded (binary, empty, undecodable, too large)."""


class ExtractionError(TallyError):
    """Extraction failed on a document that was read fine."""


class StoreError(TallyError):
    """The store could not be opened, migrated or written."""


class ConfigError(TallyError):
    """A setting is unknown or has a value Tally cannot use."""
