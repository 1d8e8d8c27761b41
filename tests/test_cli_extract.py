"""`tally extract` and `tally numbers` from the command line, bad input included."""

from __future__ import annotations

import gzip
import json

from click.testing import CliRunner

from tally.cli import main

ARTICLE = "At least 250 Austrian nationals have travelled to Syria, the interior ministry said.\n"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_jsonl_gives_one_figure_a_line_with_the_file_stem_as_doc(tmp_path):
    (tmp_path / "austria.txt").write_text(ARTICLE, encoding="utf-8")
    res = run("extract", str(tmp_path / "austria.txt"), "--format", "jsonl")
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["doc"], r["span"], r["origin"], r["status"]) for r in rows] == [
        ("austria", "At least 250", "AT", "joined")
    ]


def test_csv_and_table_formats(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    csv_out = run("extract", str(tmp_path), "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("doc,span,value") and "At least 250" in csv_out[1]
    table = run("extract", str(tmp_path), "--format", "table").stdout
    assert "At least 250" in table and table.splitlines()[0].split()[:2] == ["doc", "span"]


def test_bad_files_give_one_error_line_each_and_the_run_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(b"<html><body><p>Some text</p>" * 50)[:40])
    (tmp_path / "latin1.txt").write_bytes((ARTICLE + "Le ministère l'a confirmé.\n").encode("latin-1"))
    (tmp_path / "z_good.txt").write_text(ARTICLE, encoding="utf-8")
    res = run(
        "extract",
        *(
            str(tmp_path / n)
            for n in ("empty.txt", "binary.txt", "broken.html.gz", "latin1.txt", "z_good.txt")
        ),
        "--format",
        "jsonl",
    )
    assert res.exit_code == 1
    errors = [
        line for line in res.stderr.splitlines() if line.startswith("tally: ") and "documents" not in line
    ]
    assert len(errors) == 3 and all(any(n in e for n in ("empty", "binary", "broken")) for e in errors)
    docs = {json.loads(line)["doc"] for line in res.stdout.splitlines()}
    assert docs == {"latin1", "z_good"}
    assert "2 documents" in res.stderr and "3 failed" in res.stderr


def test_stdin_is_read_with_a_dash():
    res = run("extract", "-", "--format", "jsonl", stdin=ARTICLE)
    assert res.exit_code == 0 and json.loads(res.stdout.splitlines()[0])["doc"] == "stdin"


def test_numbers_reads_one_expression_a_line():
    res = run("numbers", "--lang", "en", stdin="between 2,000 and 2,500\nabout a third\n")
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows[0] == {"value": None, "low": 2000, "high": 2500, "qualifier": "range", "kind": "count"}
    assert rows[1]["qualifier"] == "approx" and rows[1]["kind"] == "fraction"
