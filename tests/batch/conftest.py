"""Fixtures for the batch engines: small news pages in a web archive, and a Spark session.

The pages are short news-like texts written for these tests, each with a figure or none.
Spark runs in local mode, started here (JAVA_HOME found from `java` on PATH, logs quiet,
loopback only); when pyspark or Java is missing the Spark tests fail with what to install,
they never skip.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGES = {
    "https://news.example/2024/03/tajik": (
        "Tajiks abroad",
        "At least 1,100 Tajik nationals have travelled to Iraq and Syria, the Interior Ministry says. "
        "Officials in Dushanbe said the figure covered the years since 2013.",
    ),
    "https://news.example/2024/03/france": (
        "French jihadists",
        "Some 1,490 French citizens have joined jihadist groups in Iraq and Syria since 2012, "
        "the interior minister said on Tuesday. About 300 of them have been killed.",
    ),
    "https://wire.example/uk-returnees": (
        "UK returnees",
        "About 850 people from the UK have travelled to support or fight for jihadist groups in Syria "
        "and Iraq, the police said. Around 400 have returned to Britain.",
    ),
    "https://wire.example/morocco": (
        "Moroccan fighters",
        "Morocco said 1,659 of its nationals had joined militant groups in Syria and Iraq, "
        "according to the interior ministry.",
    ),
    "https://news.example/sport/derby": (
        "Derby day",
        "The home side won the derby 3-1 in front of 40,000 fans, with two late goals from the captain.",
    ),
    "https://wire.example/indonesia-camps": (
        "Camps in Syria",
        "Indonesian police said about 600 Indonesians were being held in Kurdish-run camps in Syria.",
    ),
}


def html_page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in text.split(". ") if s.strip())
    return (
        (
            f"<html><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>Copyright News Example</footer>"
            "</body></html>"
        )
        .replace("..", ".")
        .encode()
    )


def _response(w: WARCWriter, uri: str, body: bytes, status: str = "200 OK", ctype: str = "text/html") -> None:
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    rec = w.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"},
    )
    w.write_record(rec)


def write_warc(path: Path, pages: dict[str, tuple[str, str]] = PAGES, *, gz: bool = True) -> Path:
    """A crawl of `pages`, with an image, a 404 and a duplicate capture among them."""
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "tally-tests"}))
        for n, (uri, (title, text)) in enumerate(pages.items()):
            _response(w, uri, html_page(title, text))
            if n == 1:
                _response(w, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", ctype="image/png")
                _response(w, "https://news.example/gone", b"<html>gone</html>", status="404 Not Found")
        first_uri, (title, text) = next(iter(pages.items()))
        _response(w, first_uri + "?amp", html_page(title, text))  # the same payload again
    return path


@pytest.fixture
def news_warc(tmp_path: Path) -> Path:
    return write_warc(tmp_path / "news.warc.gz")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local[2] Spark session for the whole test run."""
    from tally.batch import spark as engine
    from tally.errors import TallyError

    try:
        session = engine.session("local[2]", app="tally-tests")
    except TallyError as exc:
        pytest.fail(
            f"{exc} (scripts/system-deps.sh installs Java; `pip install -e '.[dev]'` installs pyspark)",
            pytrace=False,
        )
    try:
        yield session
    finally:
        session.stop()
