"""The watch settings: a [watch] table and [[alerts]] tables in tally.toml, TALLY_WATCH_*
in the environment, the command line last; the webhook secret from the environment only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tally import settings
from tally.errors import ConfigError
from tally.watch.config import EVENTS, Subscription, duration

CONFIG = """
[watch]
sources = ["https://news.example/feed.xml", "more.urls"]
every = "15m"
dashboard = "https://tally.example.org/"

[[alerts]]
name = "fr-returnees"
origin = "fr"
status = ["returned", "detained"]
events = ["new_report", "conflict"]
webhook = "https://hooks.example.org/tally"

[[alerts]]
source = "interior ministry"
"""


def _load(tmp_path: Path, text: str, env: dict[str, str] | None = None, **cli: object) -> settings.Settings:
    path = tmp_path / "tally.toml"
    path.write_text(text, encoding="utf-8")
    return settings.load(cli, config=str(path), env=env or {})


def test_a_watch_table_and_alerts_tables_are_read(tmp_path: Path) -> None:
    conf = _load(tmp_path, CONFIG)
    assert conf.watch_sources == ["https://news.example/feed.xml", "more.urls"]
    assert conf.watch_every == 900.0
    assert conf.watch_dashboard == "https://tally.example.org"
    fr, other = conf.alerts
    assert fr == Subscription(
        name="fr-returnees",
        events=frozenset({"new_report", "conflict"}),
        origin=frozenset({"FR"}),
        status=frozenset({"returned", "detained"}),
        webhook="https://hooks.example.org/tally",
    )
    assert (
        other.name == "alert-2" and other.events == frozenset(EVENTS) and other.source == "interior ministry"
    )


def test_the_environment_and_the_command_line_win_over_the_file(tmp_path: Path) -> None:
    env = {"TALLY_WATCH_EVERY": "1h", "TALLY_WATCH_SOURCES": "https://a.example/rss https://b.example/rss"}
    conf = _load(tmp_path, CONFIG, env)
    assert conf.watch_every == 3600.0 and conf.watch_sources == [
        "https://a.example/rss",
        "https://b.example/rss",
    ]
    assert conf.origins["watch_every"] == "environment TALLY_WATCH_EVERY"
    conf = _load(tmp_path, CONFIG, env, watch_every="1s", watch_sources=["feed.xml"])
    assert (conf.watch_every, conf.watch_sources) == (1.0, ["feed.xml"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[watch]\nevry = '30m'\n", "unknown setting 'watch_evry'"),
        ("[watch]\nevery = 'soon'\n", "expected a duration such as '30m'"),
        ("[watch]\nevery = '0s'\n", "expected at least 1 second"),
        ("[[alerts]]\nevents = ['new_figure']\n", "unknown event 'new_figure'; events are new_point"),
        ("[[alerts]]\norgin = 'FR'\n", "unknown key 'orgin'"),
        ("[[alerts]]\nwebhook = 'ftp://x'\n", "webhook: expected an http:// or https:// URL"),
        ("[[alerts]]\nname = 'a'\n[[alerts]]\nname = 'a'\n", "two [[alerts]] are named 'a'"),
        (
            "webhook_secret = 'in-the-file-is-wrong'\n",
            "'webhook_secret' is a secret; set it in the environment",
        ),
    ],
)
def test_mistakes_are_errors_that_say_what_to_fix(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        _load(tmp_path, text)


def test_the_webhook_secret_comes_from_the_environment(tmp_path: Path) -> None:
    conf = _load(tmp_path, CONFIG, {"TALLY_WEBHOOK_SECRET": "s3cret-for-hooks"})
    assert conf.webhook_secret == "s3cret-for-hooks"
    with pytest.raises(ConfigError, match="at least 8 characters"):
        _load(tmp_path, CONFIG, {"TALLY_WEBHOOK_SECRET": "short"})


@pytest.mark.parametrize(
    ("text", "seconds"), [("30m", 1800), ("1h30m", 5400), ("90", 90), ("1s", 1), (2, 2), ("2d", 172800)]
)
def test_durations(text: object, seconds: float) -> None:
    assert duration(text) == seconds
