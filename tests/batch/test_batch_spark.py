"""The Spark engine (local[2], started by the fixture) gives the local engine's output, byte for
byte, on the same inputs, bad ones included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tally import batch
from tally.batch.parquet import DOCUMENTS, FIGURES, MANIFEST

pytestmark = pytest.mark.spark

ARTICLE = "About 850 people from the UK have travelled to fight in Syria and Iraq, the police said.\n"


def same_files(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in (DOCUMENTS, FIGURES))


def test_spark_and_the_local_engine_give_the_same_figures_on_the_same_warc(
    spark: Any, news_warc: Path, tmp_path: Path
) -> None:
    local = batch.run([str(news_warc)], tmp_path / "local", workers=2)
    on_spark = batch.run([str(news_warc)], tmp_path / "spark", engine="spark", spark=spark, split_docs=2)
    assert same_files(tmp_path / "local", tmp_path / "spark")
    assert (on_spark.documents, on_spark.figures) == (local.documents, local.figures) == (6, local.figures)
    assert local.figures > 0
    manifest = json.loads((tmp_path / "spark" / MANIFEST).read_text())
    assert manifest["engine"] == "spark" and manifest["master"] == "local[2]"
    assert manifest["partitions"] == 3 and manifest["workers"] == 2
    assert not (tmp_path / "spark" / "_parts").exists()


def test_spark_reports_the_same_failures_and_output_with_bad_inputs(
    spark: Any, news_warc: Path, tmp_path: Path
) -> None:
    data = news_warc.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) // 2])
    texts = tmp_path / "texts"
    texts.mkdir()
    for i in range(7):
        (texts / f"t{i}.txt").write_text(ARTICLE.replace("850", str(850 + i)))
    (texts / "empty.txt").write_text("   \n")
    export = tmp_path / "export.jsonl"
    export.write_text(
        "\n".join(json.dumps({"text": ARTICLE, "id": f"j{i}"}) for i in range(5)) + "\n{broken\n"
    )
    inputs = [str(cut), str(texts), str(export), str(news_warc)]
    local = batch.run(inputs, tmp_path / "local", workers=2, split_docs=3)
    on_spark = batch.run(inputs, tmp_path / "spark", engine="spark", spark=spark, partitions=4, split_docs=3)
    assert same_files(tmp_path / "local", tmp_path / "spark")
    assert [f.line() for f in on_spark.failures] == [f.line() for f in local.failures]
    assert len(local.failures) == 3  # the cut archive, the empty text, the broken JSON line
