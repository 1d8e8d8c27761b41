"""Tally's settings: one table, one order of precedence.

Every setting is a row of `SETTINGS`. A value comes from, lowest first: the row's
default, a TOML config file, a `TALLY_<NAME>` environment variable, the command
line. Unknown keys are errors at every level, so a typo never passes silently.
Secrets (a PostgreSQL password in `TALLY_DB`) belong in the environment, not in
the config file that may be committed.

A TOML table names a group of rows: `every` in `[watch]` is the row `watch_every`
(`TALLY_WATCH_EVERY` in the environment). `[[alerts]]`, an array of tables, is one row.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tally.errors import ConfigError
from tally.watch import config as watch

# The environment variable that names the config file; not a setting itself.
CONFIG_ENV = "TALLY_CONFIG"
# Read when no config file is named and it exists in the working folder.
DEFAULT_CONFIG = "tally.toml"
ENV_PREFIX = "TALLY_"


def _positive_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("expected a whole number")
    value = int(raw)
    if value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def _non_negative_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("expected a whole number")
    value = int(raw)
    if value < 0:
        raise ValueError("expected a whole number of at least 0")
    return value


def _text(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("expected a non-empty string")
    return raw.strip()


# A token shorter than this is too easy to guess to guard writes.
MIN_SECRET_CHARS = 8


def _secret(raw: Any) -> str | None:
    text = str(raw).strip()
    if not text:
        return None
    if len(text) < MIN_SECRET_CHARS:
        raise ValueError(f"use a secret of at least {MIN_SECRET_CHARS} characters")
    return text


@dataclass(frozen=True, slots=True)
class Setting:
    """One row of the table: its default, how a raw value is read, what it is for."""

    default: Any
    parse: Callable[[Any], Any]
    help: str
    secret: bool = False  # set from the environment (or the command line) only, never a file


SETTINGS: dict[str, Setting] = {
    "db": Setting(
        "./tally.db",
        _text,
        "The store: a SQLite file path (or sqlite:/// URL), or a postgresql:// URL.",
    ),
    "workers": Setting(1, _positive_int, "Processes that extract in parallel during ingest."),
    "serve_workers": Setting(
        0,
        _non_negative_int,
        "Processes `tally serve` answers with ([serve] workers); 0: one per CPU core, 2 to 8.",
    ),
    "token": Setting(
        None,
        _secret,
        "Bearer token that lets `tally serve` accept writes (POST /api/documents); unset: read-only.",
        secret=True,
    ),
    "watch_sources": Setting(
        [], watch.sources, "What `tally watch` follows: feed and sitemap URLs, URL-list files."
    ),
    "watch_every": Setting(1800.0, watch.duration, "Time between two rounds of `tally watch` ('30m')."),
    "watch_dashboard": Setting(
        "http://127.0.0.1:8000",
        watch.http_url,
        "The `tally serve` address alerts link to (series and documents).",
    ),
    "alerts": Setting(
        [], watch.subscriptions, "Subscriptions: [[alerts]] tables of events, filters and webhooks."
    ),
    "webhook_secret": Setting(
        None,
        _secret,
        "Key of the HMAC-SHA256 signature on every webhook POST (X-Tally-Signature).",
        secret=True,
    ),
}


@dataclass(slots=True)
class Settings:
    """The resolved values, and for each the layer it came from (for messages)."""

    values: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def _apply(values: dict[str, Any], origins: dict[str, str], key: str, raw: Any, where: str) -> None:
    if key not in SETTINGS:
        known = ", ".join(sorted(SETTINGS))
        raise ConfigError(f"{where}: unknown setting {key!r}; known settings: {known}")
    try:
        values[key] = SETTINGS[key].parse(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: bad value {raw!r} for {key!r}: {exc}") from exc
    origins[key] = where


def _flat(data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A config file's keys, a table's keys prefixed with its name: [watch] every -> watch_every."""
    out: list[tuple[str, Any]] = []
    for key, raw in data.items():
        if isinstance(raw, dict):
            out.extend((f"{key}_{sub}", value) for sub, value in raw.items())
        else:
            out.append((key, raw))
    return out


def _config_file(path: str | None, env: Mapping[str, str]) -> Path | None:
    if path:
        return Path(path)
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    default = Path(DEFAULT_CONFIG)
    return default if default.is_file() else None


def load(
    cli: Mapping[str, Any] | None = None,
    *,
    config: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve every setting: default < config file < TALLY_* environment < `cli`.

    `cli` holds only the options the user gave (None values are ignored, so an
    option left out does not hide the environment). `config` names a TOML file;
    without it `$TALLY_CONFIG`, then ./tally.toml when present, are read.
    """
    env = os.environ if env is None else env
    values = {k: s.default for k, s in SETTINGS.items()}
    origins = dict.fromkeys(SETTINGS, "default")

    path = _config_file(config, env)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {path} does not exist") from exc
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"config file {path} cannot be read: {exc}") from exc
        for key, raw in _flat(data):
            if key in SETTINGS and SETTINGS[key].secret:
                raise ConfigError(
                    f"config file {path}: {key!r} is a secret; set it in the environment (TALLY_{key.upper()})"
                )
            _apply(values, origins, key, raw, f"config file {path}")

    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV:
            continue
        _apply(values, origins, name[len(ENV_PREFIX) :].lower(), raw, f"environment {name}")

    for key, raw in (cli or {}).items():
        if raw is not None:
            _apply(values, origins, key, raw, f"option --{key}")
    return Settings(values, origins)
