"""Documents in: front matter, HTML, language, dates, the metadata stored with each document, and the
walk of a folder (every document-named entry read or refused, never skipped)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tibet_facts.store.corpus import (
    checked_date,
    expand_paths,
    front_matter,
    guess_date,
    make_source,
    read_source,
)
from tibet_facts.store.errors import DecodeError
from tibet_facts.store.ingest import extract_source

DOC = "---\ntitle: 拉萨电商报告\ndate: 2024-05\nsource: test\n---\n今年拉萨市网络零售额达12.3亿元，目前共有35家企业。\n"


def test_front_matter_gives_metadata_and_no_facts() -> None:
    meta, body = front_matter(DOC)
    assert meta == {"title": "拉萨电商报告", "date": "2024-05", "source": "test"}
    assert DOC[body:].startswith("今年")
    source = make_source("a.md", DOC)
    assert source.document.title == "拉萨电商报告" and source.document.date == "2024-05"
    facts = extract_source(source)
    assert [f.value for f in facts] == [12.3, 35.0]
    for f in facts:
        assert f.start >= body and DOC[f.start:f.end] == str(f.value).removesuffix(".0")
    assert {f.period for f in facts} == {"2024", "as of 2024-05"}, "今年/目前 read against the front matter date"


def test_front_matter_numbers_are_not_facts() -> None:
    doc = "---\ntitle: 2025年报告 第3期 100万元\n---\n正文没有数字。\n"
    assert extract_source(make_source("b.md", doc)) == []


def test_html_is_read_as_its_text(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><head><script>var x=5;</script></head><body><p>全区网络零售额280.2亿元</p>"
                    "<p>&lt;b&gt;</p></body></html>", encoding="utf-8")
    source = read_source(page)
    assert "script" not in source.document.text and "280.2亿元" in source.document.text
    assert [f.value for f in extract_source(source)] == [280.2]


def test_language_is_guessed() -> None:
    assert make_source("e.txt", "Online sales reached 260 million yuan.").document.language == "en"
    assert make_source("z.txt", "网络零售额达12.3亿元。").document.language == "zh"


def test_a_manifest_beside_the_files_gives_their_metadata(tmp_path: Path) -> None:

    (tmp_path / "a.txt").write_text("今年西藏全区网络零售额280亿元。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("---\ndate: 2019-05\n---\n今年产值5亿元。", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(
        '{"a.txt": {"date": "2025-12", "publisher": "西藏日报", "extra": 1}, "b.txt": {"date": "2020"}}',
        encoding="utf-8")
    a = read_source(tmp_path / "a.txt").document
    assert (a.date, a.publisher) == ("2025-12", "西藏日报")
    assert read_source(tmp_path / "b.txt").document.date == "2019-05", "front matter wins"


@pytest.mark.parametrize("content", ["[1, 2]", "not json", '{"a.txt": "2025"}'])
def test_a_manifest_of_another_shape_is_ignored(tmp_path: Path, content: str) -> None:

    (tmp_path / "a.txt").write_text("西藏全区网络零售额280亿元。", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    assert read_source(tmp_path / "a.txt").document.date == "unknown"


# Dates: a calendar date or ignored with a warning ----------------------------------------------

@pytest.mark.parametrize(
    "value, stored",
    [
        ("2024", "2024"), ("2024-05", "2024-05"), ("2024-02-29", "2024-02-29"),
        ("2024-05-01T10:00:00+08:00", "2024-05-01"), ("2024-05-01 10:00:00 +0800", "2024-05-01"),  # Hugo, Jekyll
        ("2024-13-45", None), ("2024-13", None), ("2023-02-29", None), ("2024-00", None), ("0000", None),
        ("2024/05/01", None), ("May 2024", None), ("24-05-01", None), ("2024-5", None), ("", None),
    ],
)
def test_checked_date(value: str, stored: str | None) -> None:
    assert checked_date(value) == stored


BAD_DATE = "---\ndate: 2024-13-45\n---\n今年拉萨市网络零售额达12.3亿元。\n"


def test_an_invalid_front_matter_date_is_ignored_and_named() -> None:
    warnings: list[str] = []
    source = make_source("a.md", BAD_DATE, warn=warnings.append)
    assert source.document.date == "unknown"
    assert warnings == ["front matter date '2024-13-45' is not a calendar date (YYYY, YYYY-MM or YYYY-MM-DD); "
                        "ignored, date unknown"]
    assert [(f.value, f.period) for f in extract_source(source)] == [(12.3, "unknown")], "not 'as of 2024-13'"


def test_an_ignored_date_falls_to_the_manifest_then_to_the_text() -> None:
    warnings: list[str] = []
    assert make_source("a.md", BAD_DATE, meta={"date": "2023-06"}, warn=warnings.append).document.date == "2023-06"
    assert warnings[-1].endswith("; ignored, date 2023-06")
    dated = BAD_DATE.replace("今年", "2022年5月3日 来源：西藏日报\n今年")
    assert make_source("b.md", dated, meta={"date": "2023-02-30"}, warn=warnings.append).document.date == "2022-05-03"
    assert [w.split(" is ")[0] for w in warnings[1:]] == ["front matter date '2024-13-45'",
                                                          "manifest.json date '2023-02-30'"]


def test_a_valid_date_warns_nothing_and_a_time_is_dropped() -> None:
    warnings: list[str] = []
    doc = make_source("a.md", "---\ndate: 2024-05-01T10:00:00+08:00\n---\n正文。", warn=warnings.append).document
    assert (doc.date, warnings) == ("2024-05-01", [])
    assert make_source("b.md", "---\ndate: unknown\n---\n正文。", warn=warnings.append).document.date == "unknown"
    assert warnings == []


def test_a_date_printed_at_the_top_must_be_a_calendar_date() -> None:
    assert guess_date("2024年2月30日 来源：西藏日报\n正文。") == "unknown"
    assert guess_date("February 30, 2024\n") == "unknown"
    assert guess_date("2024年2月29日 来源：西藏日报\n正文。") == "2024-02-29"


def test_read_source_warns_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(BAD_DATE, encoding="utf-8")
    lines: list[str] = []
    assert read_source(path, warn=lines.append).document.date == "unknown"
    assert lines == [f"{path}: front matter date '2024-13-45' is not a calendar date (YYYY, YYYY-MM or YYYY-MM-DD); "
                     "ignored, date unknown"]
    empty = tmp_path / "b.md"
    empty.write_text("---\ndate: 2024-13-45\n---\n\n", encoding="utf-8")
    with pytest.raises(DecodeError, match="no text after the front matter"):
        read_source(empty, warn=lines.append)
    assert len(lines) == 1, "a refused file gets its refusal, not a warning as well"


def test_manifest_metadata_is_stored_without_controls(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("西藏全区网络零售额280亿元。", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(
        '{"a.txt": {"publisher": "\\u001b]52;c;aGk=\\u0007日报", "title": "t\\u009b2J", "source": "s\\n2"}}',
        encoding="utf-8")
    doc = read_source(tmp_path / "a.txt").document
    assert (doc.publisher, doc.title, doc.source) == ("\ufffd]52;c;aGk=\ufffd日报", "t\ufffd2J", "s 2")


# Folders: every entry with a document suffix is read or refused, never skipped ---------------------

def test_a_folder_yields_its_odd_entries_for_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "ring").symlink_to(tmp_path / "ring")  # a loop without a suffix: a folder or a file?
    (tmp_path / "broken.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("y", encoding="utf-8")
    real = os.scandir

    def scandir(path: str | Path) -> object:  # root lists a 0000 folder: inject EACCES
        if os.fspath(path) == str(tmp_path / "locked"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    names = [p.name for p in expand_paths([tmp_path])]
    assert names == ["a.txt", "broken.txt", "fifo.txt", "locked", "loop.txt", "ring", "zero.md"]
    with pytest.raises(DecodeError) as info:
        read_source(tmp_path / "locked")
    assert str(info.value) == f"{tmp_path / 'locked'}: cannot open folder (Permission denied)"


def test_a_walk_keeps_the_sorted_order_and_follows_no_folder_link(tmp_path: Path) -> None:
    for rel in ("b/z.txt", "b/a.md", "a.txt", "a/c/d.htm", "c.TXT", "b.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "b")  # a cycle's way in: not followed
    (tmp_path / "b" / "up.txt").symlink_to(tmp_path / "a.txt")  # the same file twice: once
    (tmp_path / "dirlink.txt").symlink_to(tmp_path / "a")
    got = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert got == ["a/c/d.htm", "a.txt", "b/a.md", "b/z.txt", "b.txt", "c.TXT"]

