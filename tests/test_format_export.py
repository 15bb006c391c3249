"""How figures, citations and exports are written (store/format.py, store/export.py,
store/render.py, store/excerpt.py): exact strings and bytes, every column and field."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from tibet_facts.store import export
from tibet_facts.store import format as fmt
from tibet_facts.store.errors import StoreWriteError
from tibet_facts.store.excerpt import excerpt_text, fact_fields
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.render import bar, fact_cells, fit_columns

DOC = Document(id="d1", name="a.txt", title="报告", publisher="西藏日报", date="2025-12", source="http://s",
               text="前文。2025年零售额280.2亿元，增长27%。后文")
FACT = Fact(id="f1", doc_id="d1", doc="a.txt", start=11, end=16, quote="280.2亿元", value=280.2, unit="亿元",
            base_value=2.802e10, base_unit="CNY", metric_zh="零售额", metric_en="retail sales",
            metric_id="retail", region="西藏自治区", region_en="Tibet", region_path=["西藏自治区"],
            period="2025", topic="ecommerce", quote_start=11, sentence_start=3, sentence_end=24)
DOCS = {"d1": DOC}
ROW = {"id": "f1", "metric_zh": "零售额", "metric_en": "retail sales", "metric_id": "retail", "value": 280.2,
       "unit": "亿元", "base_value": 2.802e10, "base_unit": "CNY", "qualifier": "exact", "kind": "level",
       "region": "西藏自治区", "region_en": "Tibet", "period": "2025", "topic": "ecommerce", "quote": "280.2亿元",
       "doc": "a.txt", "start": 11, "end": 16, "doc_title": "报告", "doc_publisher": "西藏日报",
       "doc_date": "2025-12", "doc_source": "http://s"}


@pytest.mark.parametrize(("x", "digits", "text"), [
    (1234567.0, 2, "1,234,567"), (280.2, 2, "280.2"), (0.125, 2, "0.12"), (0.125, 3, "0.125"),
    (-0.001, 2, "0"), (0.0, 2, "0"), (2.5e15, 2, "2,500,000,000,000,000"), (-3.0, 2, "-3"),
    (float("nan"), 2, "—"), (float("inf"), 2, "—"), (float("-inf"), 2, "—"), (1.10, 4, "1.1"),
    (999999999999999.0, 2, "999,999,999,999,999"), (1e15, 2, "1,000,000,000,000,000"),
])
def test_numbers_are_written_for_people(x: float, digits: int, text: str) -> None:
    assert fmt.format_number(x, digits) == text


@pytest.mark.parametrize(("value", "unit", "text"), [
    (280.2, "亿元", "280.2亿元"), (449.0, "million yuan", "449 million yuan"), (35.6, "%", "35.6%"),
    (7.0, "", "7"), (3.0, "km", "3 km"), (1.23456, "个", "1.2346个"), (2.0, "1st", "21st"),
])
def test_a_figure_as_written(value: float, unit: str, text: str) -> None:
    assert fmt.as_written(replace(FACT, value=value, unit=unit)) == text


@pytest.mark.parametrize(("base_unit", "values", "scale"), [
    ("CNY", [2.8e10], (1e8, "亿元")), ("CNY", [1e8], (1e8, "亿元")), ("CNY", [99999999.0], (1e4, "万元")),
    ("CNY", [1e5], (1e4, "万元")), ("CNY", [99999.0], (1.0, "元")), ("USD", [-2e8, 1.0], (1e8, "亿美元")),
    ("person_time", [1.4e4], (1.0, "人次")), ("person_time", [1.4e5], (1e4, "万人次")),
    ("percent", [5e9], (1.0, "%")), ("percentage_point", [1.0], (1.0, "个百分点")),
    ("count", [3.0], (1.0, "")), ("furlong", [2e5], (1e4, "万furlong")), ("CNY", [], (1.0, "元")),
])
def test_a_column_is_scaled_to_read(base_unit: str, values: list[float], scale: tuple[float, str]) -> None:
    assert fmt.scale_for(base_unit, values) == scale


def test_every_unit_name() -> None:
    assert fmt._UNIT_NAMES == {
        "percent": "%", "percentage_point": "个百分点", "person": "人", "person_time": "人次",
        "household": "户", "item": "件", "count": "", "km": "km", "m": "m", "km2": "km²", "mu": "亩",
        "t": "t", "kWh": "kWh", "MW": "MW", "year": "年", "hour": "小时", "other": ""}
    assert fmt._MONEY == {"CNY": "元", "USD": "美元"}


def test_common_values_and_citations() -> None:
    assert fmt.common_value(FACT) == "280.2 亿元"
    assert fmt.common_value(replace(FACT, base_value=7.0, base_unit="count")) == "7"
    assert fmt.citation(FACT, DOC) == "280.2亿元 (retail sales, Tibet, 2025) — 报告, 西藏日报, 2025-12"
    assert fmt.citation(FACT, None) == "280.2亿元 (retail sales, Tibet, 2025)"
    bare = replace(FACT, metric_en="", metric_zh="", region_en="", region="")
    assert fmt.citation(bare, None) == "280.2亿元 (figure, unknown place, 2025)"
    zh = replace(FACT, metric_en="", region_en="")
    assert fmt.citation(zh, replace(DOC, title="", publisher="unknown", date="unknown")) == \
        "280.2亿元 (零售额, 西藏自治区, 2025)"
    assert fmt.citation(zh, replace(DOC, title="", date="unknown")) == "280.2亿元 (零售额, 西藏自治区, 2025) — 西藏日报"


def test_the_citation_fields_of_a_record() -> None:
    assert fmt.doc_fields(DOC) == {"doc_title": "报告", "doc_publisher": "西藏日报", "doc_date": "2025-12",
                                   "doc_source": "http://s"}
    assert fmt.doc_fields(None) == {"doc_title": "", "doc_publisher": "", "doc_date": "", "doc_source": ""}


def test_facts_as_json_and_json_lines() -> None:
    other = replace(FACT, id="f2", doc_id="gone")
    record = FACT.to_dict() | fmt.doc_fields(DOC)
    assert fmt.facts_json([FACT, other], DOCS) == orjson.dumps(
        [record, other.to_dict() | fmt.doc_fields(None)], option=orjson.OPT_INDENT_2) + b"\n"
    lines = fmt.facts_json([FACT, other, FACT], DOCS, lines=True).split(b"\n")
    assert lines[-1] == b"" and len(lines) == 4
    assert [orjson.loads(x) for x in lines[:3]] == [record, other.to_dict() | fmt.doc_fields(None), record]
    assert list(orjson.loads(lines[0])) == list(record)  # the fact's fields, then the document's


def test_the_sentence_of_a_fact() -> None:
    assert fmt.sentence_of(FACT, DOC) == "2025年零售额280.2亿元，增长27%"
    assert fmt.sentence_of(FACT, None) == "280.2亿元"
    assert fmt.sentence_of(replace(FACT, end=99), DOC) == "280.2亿元"
    assert fmt.sentence_of(replace(FACT, start=16, end=16), DOC) == "280.2亿元"
    assert fmt.sentence_of(replace(FACT, start=-1), DOC) == "280.2亿元"
    assert fmt.sentence_of(replace(FACT, sentence_start=12, sentence_end=13), DOC) == "280.2"
    assert fmt.sentence_of(replace(FACT, end=len(DOC.text), sentence_end=0), DOC) == DOC.text[3:]


def test_a_fact_record_for_show() -> None:
    corrected = replace(FACT, region="昌都市", topic="tourism_culture")
    got = fmt.fact_record(corrected, DOC, extracted=FACT, rejected=True)
    assert got == {**corrected.to_dict(), **fmt.doc_fields(DOC), "sentence": "2025年零售额280.2亿元，增长27%",
                   "rejected": True, "extracted": {"region": "西藏自治区", "topic": "ecommerce"}}
    assert fmt.fact_record(FACT, None)["extracted"] == {}
    assert fmt.fact_record(FACT, None)["rejected"] is False


# --- exports ---------------------------------------------------------------------------------

def test_export_records_carry_every_column_sanitized() -> None:
    hostile = replace(FACT, metric_zh="a\nb\x1bc")
    assert export.rows([FACT], DOCS) == [ROW]
    assert export.rows([hostile], {})[0]["metric_zh"] == "a b\ufffdc"
    assert export.rows([hostile], {})[0]["doc_title"] == ""


@pytest.mark.parametrize(("cell", "guarded"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("＝1", "'＝1"), ("＋1", "'＋1"), ("－1", "'－1"), ("＠x", "'＠x"), ("a=1", "a=1"), (-1.0, -1.0), ("", ""),
])
def test_a_cell_never_starts_a_formula(cell: object, guarded: object) -> None:
    assert export.guard_cell(cell) == guarded


HEADER = ("id,metric_zh,metric_en,metric_id,value,unit,base_value,base_unit,qualifier,kind,region,region_en,"
          "period,topic,quote,doc,start,end,doc_title,doc_publisher,doc_date,doc_source\n")


def test_csv_and_tsv_bytes() -> None:
    row = ("f1,零售额,retail sales,retail,280.2,亿元,28020000000.0,CNY,exact,level,西藏自治区,Tibet,2025,"
           "ecommerce,280.2亿元,a.txt,11,16,报告,西藏日报,2025-12,http://s\n")
    assert export.render_facts([FACT], DOCS, "csv") == HEADER + row
    odd = replace(FACT, metric_en="a\tb,c", quote="=SUM(A1)")
    tsv = export.render_facts([odd], DOCS, "tsv")
    assert tsv.splitlines()[0] == HEADER.strip().replace(",", "\t")
    assert tsv.splitlines()[1].split("\t")[2:4] == ["a b,c", "retail"]
    assert tsv.splitlines()[1].split("\t")[14] == "'=SUM(A1)"
    assert list(csv.reader(io.StringIO(export.render_facts([odd], DOCS, "csv"))))[1][2] == "a b,c"


def test_json_and_json_lines_exports() -> None:
    assert export.render_facts([FACT], DOCS, "json") == json.dumps([ROW], ensure_ascii=False, indent=1) + "\n"
    assert export.render_facts([FACT, FACT], DOCS, "jsonl") == (json.dumps(ROW, ensure_ascii=False) + "\n") * 2
    assert export.render_facts([], DOCS, "jsonl") == ""


def test_markdown_export() -> None:
    odd = replace(FACT, metric_zh="a|b[c]*<", quote="q|")
    assert export.render_facts([odd], DOCS, "md", title="T|*") == (
        "# T\\|\\*\n\n| metric | value | common unit | region | period | source |\n"
        "|---|---:|---:|---|---|---|\n| a\\|b\\[c\\]\\*&lt; | 280.2亿元 | 280.2 亿元 | 西藏自治区 | 2025 | [^1] |\n\n"
        "[^1]: 280.2亿元 (retail sales, Tibet, 2025) — 报告, 西藏日报, 2025-12 — “q\\|”\n")
    assert export.render_facts([replace(FACT, metric_zh="")], {}, "md").startswith(
        "| metric | value | common unit | region | period | source |\n|---|---:|---:|---|---|---|\n"
        "| retail sales |")


def test_html_export() -> None:
    assert export.render_facts([FACT], DOCS, "html", title="T<") == (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>T&lt;</title></head><body><h1>T&lt;</h1>'
        "<table><tr><th>metric</th><th>value</th><th>common unit</th><th>region</th><th>period</th>"
        "<th>source</th></tr><tr><td>零售额</td><td>280.2亿元</td><td>280.2 亿元</td><td>西藏自治区</td>"
        '<td>2025</td><td><a href="#fn1">[1]</a></td></tr></table><ol><li id="fn1">280.2亿元 (retail sales, '
        "Tibet, 2025) — 报告, 西藏日报, 2025-12 — “280.2亿元”</li></ol></body></html>\n")
    untitled = export.render_facts([replace(FACT, metric_zh="")], {}, "html")
    assert "<title>tibet-facts export</title></head><body><table>" in untitled
    assert "<td>retail sales</td>" in untitled


def test_svg_export_shows_the_table_and_its_sources() -> None:
    svg = export.render_facts([FACT], DOCS, "svg", title="Title")
    assert svg.startswith("<svg") and "Title" in svg
    assert "Sources:&#160;报告,&#160;西藏日报,&#160;2025-12" in svg
    assert "tibet-facts" in export.render_facts([FACT], {}, "svg")


def test_xlsx_export_holds_every_cell() -> None:
    from openpyxl import load_workbook

    raw = export.render_facts([replace(FACT, quote="=1")], DOCS, "xlsx")
    assert isinstance(raw, bytes)
    sheet = load_workbook(io.BytesIO(raw)).active
    assert sheet.title == "facts"
    got = [[c.value for c in row] for row in sheet.iter_rows()]
    assert got[0] == list(export.COLUMNS)
    assert got[1] == [{**ROW, "quote": "'=1"}[c] for c in export.COLUMNS]
    assert len(got) == 2


def test_the_format_is_the_suffix_or_the_option(tmp_path: Path) -> None:
    assert export.fmt_for(Path("a.CSV"), None) == "csv"
    assert export.fmt_for(Path("a.txt"), "JSONL") == "jsonl"
    with pytest.raises(export.ExportFormatError) as info:
        export.fmt_for(Path("a\n.xml"), None)
    assert str(info.value) == ("unknown export format 'xml' for a .xml: use one of csv, tsv, json, jsonl, md, "
                               "html, svg, xlsx, parquet")
    assert info.value.exit_code == 2 and export.MissingExtra.exit_code == 69


def test_parquet_needs_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(export.MissingExtra) as info:
        export.fmt_for(Path("a.parquet"), None)
    assert str(info.value) == "parquet export needs pyarrow: pip install 'tibet-facts[parquet]'"


def test_an_export_is_written_atomically_and_never_over_a_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert export.export_facts([FACT], DOCS, path) == path
    assert path.read_text(encoding="utf-8") == export.render_facts([FACT], DOCS, "csv")
    with pytest.raises(export.ExportError) as info:
        export.export_facts([FACT], DOCS, path)
    assert str(info.value) == f"{path} exists: pass --force to overwrite"
    export.export_facts([], DOCS, path, force=True)
    assert path.read_text(encoding="utf-8") == HEADER
    assert not (tmp_path / "out.csv.bak").exists()
    export.write_atomic(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_an_export_makes_its_folder_only_when_asked(tmp_path: Path) -> None:
    deep = tmp_path / "new" / "deeper" / "out.md"
    with pytest.raises(StoreWriteError) as info:
        export.export_facts([FACT], DOCS, deep)
    assert str(info.value) == (f"cannot write export {deep}: folder {deep.parent} does not exist "
                               "(--parents makes it)")
    assert not (tmp_path / "new").exists()
    export.export_facts([FACT], DOCS, deep, parents=True, title="T")
    assert deep.read_text(encoding="utf-8").startswith("# T\n")
    (tmp_path / "file").write_text("x")
    under = tmp_path / "file" / "out.csv"
    with pytest.raises(StoreWriteError) as info:
        export.export_facts([FACT], DOCS, under, parents=True)
    assert str(info.value) == f"cannot write export {under}: {tmp_path / 'file'} is a file, not a folder"


def test_a_folder_that_cannot_be_made_says_why(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "x" / "o.csv"  # its folder would be under a file
    with pytest.raises(StoreWriteError) as info:
        export.export_facts([FACT], DOCS, target, parents=True)
    assert str(info.value) == f"cannot make folder {target.parent}: Not a directory"


# --- the fact table's cells, the fit, bars, excerpts -------------------------------------------

def test_a_facts_cells() -> None:
    cells = {k: (v.plain, str(v.style)) for k, v in fact_cells(replace(FACT, qualifier="approx")).items()}
    assert cells == {"id": ("f1", "dim"), "metric": ("零售额", ""), "value": ("~280.2亿元", "bold"),
                     "common": ("280.2 亿元", ""), "region": ("西藏自治区", ""), "period": ("2025", ""),
                     "topic": ("ecommerce", ""), "doc": ("a.txt", "dim")}
    for qualifier, sign in (("over", ">"), ("under", "<"), ("exact", "")):
        assert fact_cells(replace(FACT, qualifier=qualifier))["value"].plain == sign + "280.2亿元"
    assert fact_cells(replace(FACT, metric_zh=""))["metric"].plain == "retail sales"


NATURAL = {"id": 12, "metric": 40, "value": 10, "common": 10, "region": 6, "period": 4, "topic": 9, "doc": 5}


ALL = ["id", "metric", "value", "region", "period", "common", "topic", "doc"]


@pytest.mark.parametrize(("width", "fit"), [
    (200, (ALL, 40, 12)), (110, (ALL, 33, 12)), (109, (ALL, 32, 12)),
    (96, (ALL[:6] + ["doc"], 31, 12)), (95, (ALL[:6] + ["doc"], 30, 12)),
    (80, (ALL[:5], 36, 12)), (56, (ALL[:5], 12, 12)), (49, (ALL[:5], 9, 8)),
    (48, (ALL[:5], 8, 8)), (10, (ALL[:5], 8, 8)),
])
def test_which_columns_fit(width: int, fit: tuple[list[str], int, int]) -> None:
    assert fit_columns(NATURAL, width) == fit


def test_a_short_metric_leaves_room_for_every_column() -> None:
    # 8 wide at least, and an optional column needs only the metric's own width beside it.
    assert fit_columns({**NATURAL, "metric": 5}, 74) == (ALL[:7], 8, 12)


@pytest.mark.parametrize(("fraction", "width", "drawn"), [
    (0.0, 20, ""), (1.0, 20, "█" * 20), (2.0, 4, "████"), (-1.0, 4, ""), (0.5, 4, "██"),
    (0.53, 4, "██▏"), (1 / 32, 4, "▏"), (0.99, 4, "████"), (0.97, 4, "███▉"), (7 / 32, 4, "▉"), (6 / 32, 4, "▊"),
])
def test_bars_in_eighths(fraction: float, width: int, drawn: str) -> None:
    assert bar(fraction, width) == drawn


def test_a_facts_fields_for_checking() -> None:
    got = fact_fields(replace(FACT, page=3), DOC)
    assert got == [("id", "f1"), ("metric", "零售额 / retail sales"), ("metric id", "retail"),
                   ("value", "280.2亿元"), ("common unit", "280.2 亿元"), ("base", "2.802e+10 CNY"),
                   ("region", "西藏自治区 (Tibet)"), ("region path", "西藏自治区"), ("period", "2025"),
                   ("topic", "ecommerce"), ("kind", "level"), ("qualifier", "exact"),
                   ("offsets", "11–16 in a.txt"), ("page", "p. 3"), ("document", "报告"),
                   ("publisher", "西藏日报"), ("date", "2025-12"), ("source", "http://s")]
    bare = fact_fields(replace(FACT, metric_id="", region_path=["a", "b"]), replace(DOC, source=""))
    assert ("metric id", "—") in bare and ("region path", "a › b") in bare and ("source", "—") in bare
    assert "page" not in dict(bare)
    assert dict(fact_fields(replace(FACT, region_path=[]), None))["region path"] == "—"
    assert len(fact_fields(FACT, None)) == 13


def test_a_corrected_fact_shows_what_was_extracted() -> None:
    corrected = replace(FACT, region="昌都市", metric_en="sales", topic="tourism_culture")
    got = dict(fact_fields(corrected, None, extracted=FACT, rejected=True))
    assert got["region"] == "昌都市 (Tibet) · extracted: 西藏自治区"
    assert got["metric"] == "零售额 / sales · extracted: 零售额 / retail sales"
    assert got["topic"] == "tourism_culture · extracted: ecommerce"
    assert got["period"] == "2025" and got["value"] == "280.2亿元"
    assert list(got)[1] == "status" and got["status"] == "rejected (tibet-facts restore ID takes it back)"


def test_the_excerpt_marks_the_number_in_its_sentence() -> None:
    doc = replace(DOC, text="x" * 200 + "前文。2025年零售额280.2亿元，增长27%。\n后文" + "y" * 200)
    fact = replace(FACT, start=211, end=216, sentence_start=203, sentence_end=224)
    text = excerpt_text(fact, doc, context=5)
    assert text.plain == "…xx前文。2025年零售额280.2亿元，增长27%。 后文y…"
    spans = [(text.plain[s.start:s.end], str(s.style)) for s in text.spans]
    assert spans == [("…", "dim"), ("xx前文。", "dim"), ("280.2", "bold reverse"),
                     ("。 后文y", "dim"), ("…", "dim")]
    whole = excerpt_text(fact, doc)
    assert whole.plain.startswith("…" + "x" * 157 + "前文。") and whole.plain.endswith("y" * 156 + "…")
    assert excerpt_text(replace(fact, start=0, end=0), doc).plain == "280.2亿元"
    assert excerpt_text(fact, None).plain == "280.2亿元"
    assert excerpt_text(replace(fact, end=9999), doc).plain == "280.2亿元"
    full = excerpt_text(FACT, DOC)
    assert full.plain == DOC.text and not full.plain.startswith("…")
