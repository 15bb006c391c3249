"""Documents in: front matter, HTML, language, and the metadata stored with each document."""

from __future__ import annotations

from pathlib import Path

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
