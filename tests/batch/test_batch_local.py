"""tally batch with the local engine: the shared pipeline mapped over a plan of splits, written
to Parquet with a manifest; bad inputs are failures in the manifest and the run goes on."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from tally import batch, pipeline
from tally.batch import splits as plan_mod
from tally.batch.parquet import DOCUMENTS, FIGURES, MANIFEST
from tally.cli import main
from tally.errors import ConfigError, InputError
from tally.ingest import read
from tally.model import Failure, RawDoc

ARTICLE = "At least 1,100 Tajik nationals have travelled to Iraq and Syria, the Interior Ministry says.\n"


def rows(folder: Path, name: str) -> list[dict[str, object]]:
    return pq.read_table(folder / name).to_pylist()


def same_files(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in (DOCUMENTS, FIGURES))


def test_a_web_archive_becomes_documents_figures_and_a_manifest(news_warc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    m = batch.run([str(news_warc)], out, workers=2)
    docs = rows(out, DOCUMENTS)
    assert [d["url"] for d in docs] == [
        "https://news.example/2024/03/tajik",
        "https://news.example/2024/03/france",
        "https://wire.example/uk-returnees",
        "https://wire.example/morocco",
        "https://news.example/sport/derby",
        "https://wire.example/indonesia-camps",
    ]  # HTML 200 only, the duplicate capture once, in archive order
    assert [d["seq"] for d in docs] == list(range(6))
    assert all(d["published"] == "2024-03-05" and d["doc_id"].startswith("news@") for d in docs)
    assert all(len(str(d["text_hash"])) == 64 and len(str(d["raw_hash"])) == 64 for d in docs)
    figs = rows(out, FIGURES)
    tajik = [f for f in figs if f["origin"] == "TJ"]
    assert tajik and tajik[0]["value"] == 1100 and tajik[0]["url"] == "https://news.example/2024/03/tajik"
    assert sum(int(d["n_figures"]) for d in docs) == len(figs) == m.figures
    assert [int(d["n_figures"]) for d in docs][4] == 0  # the derby

    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["engine"] == "local" and manifest["workers"] == 2
    assert (manifest["documents"], manifest["figures"], manifest["failed"]) == (6, len(figs), 0)
    assert manifest["inputs"] == [str(news_warc)] and manifest["version"]
    assert {"process_s", "total_s"} <= set(manifest["timings"])
    assert all(w["peak_rss"] > 0 for w in manifest["worker_stats"])


def test_the_batch_gives_the_figures_tally_extract_gives(news_warc: Path, tmp_path: Path) -> None:
    """The batch maps pipeline.process: no second copy of the logic, no other figures."""
    batch.run([str(news_warc)], tmp_path / "out", workers=2)
    expected = [
        f.as_dict() for r in pipeline.run([str(news_warc)]) if not isinstance(r, Failure) for f in r.figures
    ]
    got = rows(tmp_path / "out", FIGURES)
    for row in got:
        del row["seq"], row["ordinal"]
    assert [{k: v for k, v in f.items() if k not in ("value", "low", "high")} for f in got] == [
        {k: v for k, v in f.items() if k not in ("value", "low", "high")} for f in expected
    ]
    assert [(f["value"], f["low"], f["high"]) for f in got] == [
        (f["value"], f["low"], f["high"]) for f in expected
    ]


def test_output_does_not_depend_on_workers_or_how_the_work_is_cut(news_warc: Path, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    for i in range(5):
        (texts / f"a{i}.txt").write_text(ARTICLE.replace("1,100", f"{1100 + i:,}"))
    inputs = [str(news_warc), str(texts)]
    batch.run(inputs, tmp_path / "one", workers=1)
    batch.run(inputs, tmp_path / "two", workers=2)
    batch.run(inputs, tmp_path / "small", workers=2, split_docs=2)
    assert same_files(tmp_path / "one", tmp_path / "two")
    assert same_files(tmp_path / "one", tmp_path / "small")


def test_bad_inputs_are_failures_in_the_manifest_and_the_run_goes_on(news_warc: Path, tmp_path: Path) -> None:
    data = news_warc.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    feed = tmp_path / "wire.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>T</title>'
        f"<link>https://wire.example/t</link><pubDate>not a date</pubDate><description>{ARTICLE * 6}"
        "</description></item></channel></rss>"
    )
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    seen: list[str] = []
    m = batch.run(
        [str(cut), str(feed), str(image), str(tmp_path / "missing.txt"), str(good)],
        tmp_path / "out",
        workers=2,
        on_failure=lambda f: seen.append(f.line()),
    )
    sources = [f.source for f in m.failures]
    assert sources[0].startswith(f"{cut}@") and "truncated" in m.failures[0].reason
    assert sources[1:] == [str(image), str(tmp_path / "missing.txt")]
    assert seen == [f.line() for f in m.failures]
    docs = rows(tmp_path / "out", DOCUMENTS)
    assert docs[-2]["outlet"] == "Wire" and docs[-2]["published"] is None  # the feed entry, bad date
    assert docs[-1]["doc_id"] == "good"
    assert m.documents == len(docs) and not m.ok


def test_a_crash_inside_the_pipeline_is_one_failed_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "boom", "c"):
        (tmp_path / f"{name}.txt").write_text(ARTICLE)
    real = pipeline.process

    def flaky(raw: RawDoc, **kw: object) -> object:
        if raw.doc_id == "boom":
            raise RuntimeError("extractor bug")
        return real(raw, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "process", flaky)
    m = batch.run([str(tmp_path)], tmp_path / "out", workers=1)
    assert [f.reason for f in m.failures] == ["internal error: RuntimeError('extractor bug')"]
    assert [d["doc_id"] for d in rows(tmp_path / "out", DOCUMENTS)] == ["a", "c"]


def test_a_large_json_lines_file_is_cut_at_records_and_read_as_a_whole_would_be(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    lines = []
    for i in range(11):
        lines.append(json.dumps({"text": ARTICLE.replace("1,100", f"{1000 + i:,}"), "outlet": "Wire"}))
        if i % 4 == 0:
            lines.append("")
    lines.insert(5, "{not json")
    path.write_text("\n".join(lines))  # no final newline
    splits = list(plan_mod.plan([str(path)], split_docs=3))
    assert len(splits) == 4 and all(isinstance(s, plan_mod.LinesSplit) for s in splits)
    from_splits = [item for s in splits for item in s.items(10**6)]
    assert from_splits == list(read([str(path)]))


def test_compressed_and_plain_files_share_splits_in_input_order(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(json.dumps({"text": ARTICLE}).encode()))
    (split,) = plan_mod.plan([str(tmp_path)])
    assert isinstance(split, plan_mod.FilesSplit)
    assert [d.doc_id for d in split.items(10**6) if isinstance(d, RawDoc)] == ["a", "b", "c-1"]


def test_master_without_the_spark_engine_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--engine spark"):
        batch.run([], tmp_path / "out", master="spark://cluster:7077")


def test_spark_missing_gives_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(ConfigError, match=r"pip install 'tally\[spark\]'"):
        batch.run([str(tmp_path / "a.txt")], tmp_path / "out", engine="spark")
    assert not (tmp_path / "out" / MANIFEST).exists()


def test_the_cli_prints_failures_and_a_summary_and_exits_1_when_any_failed(
    news_warc: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = CliRunner().invoke(
        main, ["batch", str(news_warc), str(bad), "--out", str(tmp_path / "o"), "-j", "2"]
    )
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"tally: {bad}: empty file"
    assert lines[-1].startswith("tally: 6 documents, ") and "1 failed" in lines[-1]
    assert lines[-1].endswith(f"local engine, 2 workers) -> {tmp_path / 'o'}")


def test_the_cli_exits_0_on_a_clean_run_and_2_on_a_usage_error(news_warc: Path, tmp_path: Path) -> None:
    ok = CliRunner().invoke(main, ["batch", str(news_warc), "--out", str(tmp_path / "o"), "-j", "1"])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(
        main, ["batch", str(news_warc), "--out", str(tmp_path / "p"), "--master", "local[2]"]
    )
    assert bad.exit_code == 2 and "use it with --engine spark" in bad.stderr


def test_loading_a_folder_that_is_no_batch_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a finished batch"):
        batch.read_manifest(tmp_path)


def test_urls_and_feeds_are_fetched_once_by_the_planner_and_processed_like_files(tmp_path: Path) -> None:
    import httpx

    from tally.ingest.url import Fetcher

    page = f"<html><body><article><p>{ARTICLE}</p></article></body></html>"
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>T</title>'
        "<link>https://wire.example/t</link><description>Teaser.</description></item></channel></rss>"
    )
    routes = {
        "/robots.txt": httpx.Response(404),
        "/a": httpx.Response(200, text=page, headers={"content-type": "text/html"}),
        "/t": httpx.Response(200, text=page, headers={"content-type": "text/html"}),
        "/feed": httpx.Response(200, text=feed, headers={"content-type": "application/rss+xml"}),
    }
    log: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        log.append(str(request.url))
        return routes.get(request.url.path, httpx.Response(404))

    with Fetcher(transport=httpx.MockTransport(handle), sleep=lambda _s: None) as fetcher:
        m = batch.run(
            ["https://news.example/a", "https://wire.example/feed", "https://news.example/gone"],
            tmp_path / "out",
            workers=2,
            fetcher=fetcher,
        )
    docs = rows(tmp_path / "out", DOCUMENTS)
    assert [(d["url"], d["outlet"]) for d in docs] == [
        ("https://news.example/a", "news.example"),  # the page's host, as cleaning names it
        ("https://wire.example/t", "Wire"),
    ]
    assert [f.line() for f in m.failures] == ["tally: https://news.example/gone: HTTP 404 Not Found"]
    assert m.figures > 0 and len(log) == len(set(log))  # nothing fetched twice


def test_spark_part_files_merge_into_the_files_a_direct_write_gives(
    news_warc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Spark engine's parts (streamed in small batches here) merge to the same bytes."""
    from tally.batch import parquet, work

    done = [
        o
        for s in plan_mod.plan([str(news_warc)])
        for o in work.work(s, prefilter=True, max_bytes=10**7).outcomes
    ]
    direct = parquet.BatchWriter(tmp_path / "direct")
    for o in done:
        direct.add(o)
    direct.close({"ok": True})
    monkeypatch.setattr(parquet, "PART_BATCH", 2)
    merged = parquet.BatchWriter(tmp_path / "merged")
    for n, chunk in enumerate((done[:1], done[1:4], done[4:])):
        part = parquet.PartWriter(tmp_path / f"part-{n}")
        for o in chunk:
            part.add(o)  # type: ignore[arg-type]
        part.close()
        merged.add_part(tmp_path / f"part-{n}")
    merged.close({"ok": True})
    assert same_files(tmp_path / "direct", tmp_path / "merged")
