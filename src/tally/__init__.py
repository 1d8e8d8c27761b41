"""Tally: a sourced ledger of figures about the foreign-fighter phenomenon, read from the news."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tally")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+src"
