"""Documents in: front matter, HTML, language, and the metadata stored with each document."""

from __future__ import annotations

from pathlib import Path

import pytest

from tibet_facts.store.corpus import front_matter, make_source, read_source
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
