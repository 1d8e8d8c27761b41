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


class ArgumentError(TallyError, ValueError):
    """A library call was given a value it cannot use (an unknown status, a malformed
    date, a document the ledger does not hold); the message lists what it takes."""


class MissingExtra(TallyError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""
