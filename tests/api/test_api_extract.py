"""`tally.extract`: the figures in an article given as text, a path, or many of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import tally

TUNISIA = "At least 1,200 Tunisians have travelled to Syria since 2012, the ministry said."


def test_a_sentence_gives_its_figure_with_what_it_counts_and_who_says_so() -> None:
    (fig,) = tally.extract(TUNISIA)
    assert (fig.value, fig.qualifier, fig.origin, fig.status, fig.scope) == (
        1200,
        "at_least",
        "TN",
        "joined",
        "cumulative",
    )
    assert fig.source == "the ministry" and fig.period == "since 2012"
    assert fig.quote == TUNISIA and TUNISIA[fig.start : fig.end] == fig.span == "At least 1,200"
    assert fig.doc == "text" and fig.version == tally.__version__


def test_a_path_reads_the_file_and_names_the_figures_after_it(tmp_path: Path) -> None:
    path = tmp_path / "tunisia.txt"
    path.write_text(TUNISIA, encoding="utf-8")
    by_path, by_name = tally.extract(path), tally.extract(str(path))
    assert [f.doc for f in by_path] == ["tunisia"] and by_path == by_name
    assert by_path[0].span == tally.extract(TUNISIA)[0].span


def test_a_list_mixes_texts_and_paths_in_order(tmp_path: Path) -> None:
    path = tmp_path / "dutch.txt"
    path.write_text("About 70 Dutch jihadists have been killed in Syria.", encoding="utf-8")
    figs = tally.extract([TUNISIA, path, "Some 40 Belgian fighters have returned from Syria."])
    assert [(f.doc, f.origin) for f in figs] == [("text-1", "TN"), ("dutch", "NL"), ("text-3", "BE")]


def test_provenance_given_is_carried_by_every_figure() -> None:
    (fig,) = tally.extract(
        TUNISIA, url="https://example.org/tn", outlet="Example Post", published=date(2016, 3, 10)
    )
    assert (fig.url, fig.outlet, fig.published) == ("https://example.org/tn", "Example Post", "2016-03-10")


def test_lang_forces_the_language() -> None:
    (fig,) = tally.extract("Au moins 1 700 Français sont partis en Syrie depuis 2012.", lang="fr")
    assert (fig.value, fig.origin, fig.lang) == (1700, "FR", "fr")


def test_the_figures_become_a_table_with_the_record_s_columns() -> None:
    figs = tally.extract(TUNISIA)
    frame = figs.to_pandas()
    assert list(frame.columns) == [f for f in figs[0].as_dict()]
    assert frame.loc[0, "origin"] == "TN"
    table = tally.extract("Nothing to count here, only words.").to_arrow()
    assert table.num_rows == 0 and table.schema.field("value").type == "double"


@pytest.mark.parametrize(
    ("given", "error", "says"),
    [
        ("artcle.txt", tally.InputError, "pass the text itself"),
        ("   ", tally.InputError, "the text is empty"),
        (b"At least 1,200 Tunisians", tally.ArgumentError, "not bytes"),
        ([TUNISIA, 12], tally.ArgumentError, "item 2 is a int"),
        (Path("no/such/file.txt"), tally.InputError, "no such file or folder"),
    ],
)
def test_what_cannot_be_read_says_what_to_give_instead(given: object, error: type, says: str) -> None:
    with pytest.raises(error, match=says):
        tally.extract(given)  # type: ignore[arg-type]


def test_an_unreadable_file_is_an_input_error_that_points_to_ingest(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(tally.InputError, match=r"image\.txt.*ingest"):
        tally.extract(path)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"lang": "pt"}, "use one of de, en, fr"),
        ({"published": "last week"}, "ISO text such as '2016-03-10'"),
    ],
)
def test_bad_options_are_argument_errors(options: dict[str, str], says: str) -> None:
    with pytest.raises(tally.ArgumentError, match=says):
        tally.extract(TUNISIA, **options)  # type: ignore[arg-type]
