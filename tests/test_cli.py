"""The command line with CliRunner: every command, every format, exit codes, help, hostile text."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from tests.conftest import HOSTILE
from tibet_facts.store.db.paths import default_store_path
from tibet_facts.store.repository import FactStore
from tibet_facts.tui.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _store(sample_store: FactStore) -> FactStore:
    return sample_store


def test_every_command_has_help_with_an_example() -> None:
    group = get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert len(commands) >= 15
    for name, command in commands.items():
        assert command.help and "Example: tibet-facts" in command.help, name
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage" in out


def test_find_json_lists_fact_objects() -> None:
    code, out, _ = run("find", "零售额", "--format", "json")
    facts = json.loads(out)
    assert code == 0 and {f["value"] for f in facts} >= {280.2, 12.5, 3.1}
    assert all({"id", "start", "end", "region_path", "period"} <= set(f) for f in facts)


def test_find_region_rolls_up_counties() -> None:
    _, out, _ = run("find", "零售额", "--region", "昌都市", "--format", "json")
    assert sorted(f["region"] for f in json.loads(out)) == ["昌都市", "芒康县"]


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "jsonl", "md", "html", "svg"])
def test_find_every_format_parses_and_carries_no_escapes(fmt: str) -> None:
    code, out, _ = run("find", "--format", fmt)
    assert code == 0 and "\x1b" not in out
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(out)))) == 9
    elif fmt == "tsv":
        assert len(list(csv.reader(io.StringIO(out), delimiter="\t"))) == 9
    elif fmt == "json":
        assert len(json.loads(out)) == 8
    elif fmt == "jsonl":
        assert len([json.loads(line) for line in out.splitlines()]) == 8
    elif fmt == "svg":
        ET.fromstring(out)
    elif fmt == "html":
        HTMLParser().feed(out)
        assert "<script" not in out
    if fmt in ("table", "md", "html"):
        assert "TODO" in out  # the hostile text is shown literally


def test_nothing_matches_exits_1_and_usage_errors_exit_2() -> None:
    assert run("find", "没有这个词")[0] == 1
    assert run("find", "year:20x5")[0] == 2
    assert run("find", "--format", "xml")[0] == 2
    assert run("find", "--sort", "colour")[0] == 2


def test_find_sort_and_limit() -> None:
    _, out, _ = run("find", "--sort", "-value", "--limit", "2", "--format", "json")
    assert [f["value"] for f in json.loads(out)] == [280.2, 229.7]


def test_show_marks_the_number_and_names_the_document() -> None:
    store = FactStore.open(default_store_path())
    fact = next(f for f in store.facts if f.value == 280.2)
    code, out, _ = run("show", fact.id[:8])
    assert code == 0 and "电商报告" in out and "280.2" in out and "西藏日报" in out


def test_compare_by_metric_and_ids() -> None:
    code, out, _ = run("compare", "--metric", "online_retail_sales")
    assert code == 0 and "昌都市" in out and "█" in out
    code, out, _ = run("compare", "--metric", "online_retail_sales", "--by", "period")
    assert code == 0 and "2024" in out
    assert run("compare")[0] == 2


@pytest.mark.parametrize("suffix", ["csv", "tsv", "json", "jsonl", "md", "html", "svg", "xlsx"])
def test_export_every_format_with_citations(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"out.{suffix}"
    code, _, _ = run("export", str(target))
    assert code == 0 and target.exists()
    if suffix == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(target).active
        assert sheet.max_row == 9
        header = [c.value for c in sheet[1]]
        assert "doc_title" in header and "quote" in header
    elif suffix == "svg":
        ET.fromstring(target.read_text(encoding="utf-8"))
    else:
        text = target.read_text(encoding="utf-8")
        assert "电商报告" in text or "Rural e-commerce" in text
    assert run("export", str(target))[0] != 0, "refuses to overwrite without --force"
    assert run("export", str(target), "--force")[0] == 0


def test_csv_export_never_starts_a_live_formula(tmp_path: Path, sample_store: FactStore) -> None:
    from tibet_facts.store.model import Correction

    fact = sample_store.facts[0]
    sample_store.set_correction(Correction(fact_id=fact.id, metric_zh="=HYPERLINK(\"http://x\")"))
    target = tmp_path / "f.csv"
    run("export", str(target))
    for row in csv.reader(io.StringIO(target.read_text(encoding="utf-8"))):
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell


def test_extract_and_quantities(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("2025年西藏全区网络零售额突破280亿元，同比增长近两成。", encoding="utf-8")
    code, out, _ = run("extract", str(doc), "--format", "jsonl")
    facts = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {f["base_value"] for f in facts} == {2.8e10, 20}
    code, out, _ = run("quantities", "近80款，3万余元", "--format", "jsonl")
    got = [json.loads(line) for line in out.splitlines()]
    assert [(q["value"], q["qualifier"]) for q in got] == [(80, "approx"), (3, "over")]
    result = runner.invoke(app, ["quantities", "--each-line", "--format", "jsonl"], input="12%\n两成\n")
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [0, 1]


def test_ingest_reports_and_refuses_bad_files(tmp_path: Path, sample_store: FactStore) -> None:
    good = tmp_path / "good.txt"
    good.write_text("---\ntitle: 测试\ndate: 2024-05\n---\n拉萨市网络零售额达12.3亿元。", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    before = sample_store.path.read_bytes()
    code, _, err = run("ingest", str(good), str(bad))
    assert code == 1 and "bad.txt" in err and "binary" in err
    assert sample_store.path.read_bytes() == before, "all or nothing"
    code, out, _ = run("ingest", str(good), str(bad), "--keep-going")
    assert code == 1 and "committed 1 documents" in out
    code, out, _ = run("ingest", str(good))
    assert code == 0 and "committed 0 documents" in out


def test_store_commands_run() -> None:
    for name in ("docs", "regions", "topics", "metrics", "stats"):
        code, out, _ = run(name)
        assert code == 0 and out.strip(), name
        assert "\x1b" not in out


def test_rebuild_keeps_corrections(sample_store: FactStore) -> None:
    from tibet_facts.store.model import Correction

    fact = sample_store.facts[0]
    sample_store.set_correction(Correction(fact_id=fact.id, rejected=True))
    assert run("rebuild")[0] == 0
    assert FactStore.open(sample_store.path).corrections[fact.id].rejected


def test_corrupt_store_is_one_line_and_untouched(sample_store: FactStore) -> None:
    sample_store.path.write_bytes(b'{"_meta": {"1": {"schema')
    code, _, err = run("find")
    assert code == 65
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and str(sample_store.path) in lines[0]
    assert sample_store.path.read_bytes() == b'{"_meta": {"1": {"schema'


def test_restore_backup_brings_back_the_previous_generation(sample_store: FactStore) -> None:
    from tibet_facts.store.model import Correction

    before = sample_store.path.read_bytes()
    sample_store.set_correction(Correction(fact_id=sample_store.facts[0].id, rejected=True))
    assert run("restore-backup")[0] == 0
    assert sample_store.path.read_bytes() == before


def test_first_use_builds_the_store_from_the_seeds(tmp_path: Path) -> None:
    env_path = tmp_path / "fresh" / "facts.json"
    result = runner.invoke(app, ["--store", str(env_path), "find", "零售额", "--format", "json"])
    facts = json.loads(result.stdout)
    assert any(f["value"] == 280.2 and f["unit"] == "亿元" and f["period"] == "2025" for f in facts)


def test_lookups_do_not_import_textual(sample_store: FactStore) -> None:
    code = ("import sys\nsys.argv=['tibet-facts','find','零售额','--format','json']\n"
            "from tibet_facts.tui import cli\ntry:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "assert 'textual' not in sys.modules\n")
    run_ = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run_.returncode == 0, run_.stderr


def test_hostile_text_never_reaches_the_terminal_raw() -> None:
    for args in (("find",), ("find", "--format", "md"), ("metrics",)):
        _, out, _ = run(*args)
        assert "\x1b]52" not in out and "\x1b[2J" not in out
    assert HOSTILE.split("[")[0] in run("find", "--format", "table")[1]


def test_browser_without_a_terminal_says_so() -> None:
    code, _, err = run()
    assert code == 2 and "interactive terminal" in err


def test_a_50_mb_file_is_refused_in_one_line_and_stores_nothing(tmp_path: Path, sample_store: FactStore) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.write("2025年西藏全区网络零售额280.2亿元。".encode())
        handle.truncate(50_000_000)  # sparse: the limit is checked before reading
    before = sample_store.path.read_bytes()
    code, _, err = run("ingest", str(big))
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "big.txt" in lines[0] and "--max-bytes" in lines[0]
    assert sample_store.path.read_bytes() == before


def test_a_one_megabyte_line_is_ingested(tmp_path: Path, sample_store: FactStore) -> None:
    line = tmp_path / "line.txt"
    sentence = "2025年西藏全区网络零售额280.2亿元，同比增长27%，"
    line.write_text(sentence * (1_000_000 // len(sentence.encode())), encoding="utf-8")  # no newline at all
    code, _, err = run("ingest", str(line))
    assert code == 0, err
    store = FactStore.open(sample_store.path)
    assert sum(1 for f in store.facts if f.doc == "line.txt") > 1000


def test_a_batch_with_one_bad_file_stores_nothing_and_says_so(tmp_path: Path, sample_store: FactStore) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(3):
        (folder / f"good{i}.txt").write_text(f"{2020 + i}年西藏全区网络零售额{100 + i}亿元。", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 100)
    before = sample_store.path.read_bytes()
    code, _, err = run("ingest", str(folder))
    assert code != 0 and "bad.txt" in err and "nothing stored" in err
    assert sample_store.path.read_bytes() == before
    code, _, err = run("ingest", "--keep-going", str(folder))
    assert code != 0 and "bad.txt" in err
    assert sum(1 for d in FactStore.open(sample_store.path).documents.values() if d.name.startswith("good")) == 3


# --- tables that fit the terminal (issue 13) -------------------------------------------------


def rendered(width: int) -> list[str]:
    from rich.console import Console

    from tests.conftest import sample_documents
    from tibet_facts.store.render import facts_table

    docs, facts = sample_documents()
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(facts_table(facts, {d.id: d for d in docs}, title="8 facts", width=width))
    return console.export_text().splitlines()


def expected_rows() -> list[tuple[str, str, str, str]]:
    from tests.conftest import sample_documents
    from tibet_facts.store.format import as_written

    return [(f.id, as_written(f), f.region, f.period) for f in sample_documents()[1]]


@pytest.mark.parametrize(("width", "columns"), [
    (80, ["id", "metric", "value", "region", "period"]),
    (120, ["id", "metric", "value", "common", "region", "period", "doc"]),
])
def test_find_fits_the_width_one_line_a_fact(width: int, columns: list[str]) -> None:
    from rich.cells import cell_len

    lines = rendered(width)
    assert lines[0].strip() == "8 facts" and lines[1].split() == columns
    assert len(lines) == 3 + 8, "no cell is wrapped over several lines"
    assert all(cell_len(line) <= width for line in lines)
    for line, (fact_id, value, region, period) in zip(lines[3:], expected_rows(), strict=True):
        assert line.startswith(fact_id + " ")
        assert f" {value} " in line and f" {region} " in line and f" {period}" in line
    hostile = lines[3 + 5]
    assert "危险[TODO]" in hostile and "…" in hostile, "the long metric is cut, not wrapped"


def test_a_narrow_terminal_cuts_the_id_to_a_prefix_and_keeps_the_values_whole() -> None:
    lines = rendered(70)
    assert lines[1].split() == ["id", "metric", "value", "region", "period"]
    assert len(lines) == 3 + 8 and max(len(line) for line in lines) <= 70
    for line, (fact_id, value, region, period) in zip(lines[3:], expected_rows(), strict=True):
        assert line.startswith(fact_id[:8] + " ") and fact_id not in line
        assert f" {value} " in line and f" {region} " in line and f" {period}" in line


def test_find_on_a_terminal_fits_it_and_piped_output_keeps_every_column() -> None:
    fitted = runner.invoke(app, ["find"], env={"COLUMNS": "80"}).stdout.splitlines()
    assert fitted[0].split() == ["8", "facts"] and fitted[1].split() == ["id", "metric", "value", "region", "period"]
    assert max(len(line) for line in fitted) <= 80 and len([ln for ln in fitted if ln.strip()]) == 3 + 8
    piped = runner.invoke(app, ["find"], env={"COLUMNS": None}).stdout.splitlines()
    header = next(line for line in piped if line.strip().startswith("id"))
    assert header.split() == ["id", "metric", "value", "common", "region", "period", "topic", "doc"]


# --- JSON carries the citation as CSV does; show takes --format --------------------------------


def csv_citations(out: str) -> dict[str, tuple[str, str, str, str]]:
    return {r["id"]: (r["doc_title"], r["doc_publisher"], r["doc_date"], r["doc_source"])
            for r in csv.DictReader(io.StringIO(out))}


def test_find_json_and_jsonl_carry_the_documents_citation_like_csv() -> None:
    cited = csv_citations(run("find", "--format", "csv")[1])
    assert set(cited.values()) == {("电商报告", "西藏日报", "2025-12", "test"),
                                   ("Rural e-commerce", "China Tibet News", "2020-06-24", "")}
    as_json = json.loads(run("find", "--format", "json")[1])
    as_lines = [json.loads(line) for line in run("find", "--format", "jsonl")[1].splitlines()]
    assert as_json == as_lines and len(as_json) == 8
    for record in as_json:
        assert (record["doc_title"], record["doc_publisher"], record["doc_date"],
                record["doc_source"]) == cited[record["id"]]
        assert {"region_path", "quote_start", "sentence_start", "kind"} <= set(record)


def test_show_formats(sample_store: FactStore) -> None:
    from tibet_facts.store.export import COLUMNS
    from tibet_facts.store.model import Correction

    fact = next(f for f in sample_store.facts if f.value == 280.2)
    code, out, _ = run("show", fact.id[:8], "--format", "json")
    record = json.loads(out)
    assert code == 0 and record == {**fact.to_dict(), "doc_title": "电商报告", "doc_publisher": "西藏日报",
                                    "doc_date": "2025-12", "doc_source": "test", "sentence": "280.2亿元",
                                    "rejected": False, "extracted": {}}
    line = run("show", fact.id, "--format", "jsonl")[1]
    assert line.count("\n") == 1 and json.loads(line) == record
    rows = list(csv.reader(io.StringIO(run("show", fact.id, "-f", "csv")[1])))
    assert rows[0] == list(COLUMNS) and len(rows) == 2
    got = dict(zip(rows[0], rows[1], strict=True))
    assert (got["id"], got["value"], got["region"], got["doc_title"]) == (fact.id, "280.2", "西藏自治区", "电商报告")
    sample_store.set_correction(Correction(fact_id=fact.id, region="昌都市", rejected=True))
    record = json.loads(run("show", fact.id, "--format", "json")[1])
    assert (record["region"], record["rejected"], record["extracted"]) == ("昌都市", True, {"region": "西藏自治区"})


# --- option errors: one line, the command, the help to read (issue 13) ------------------------


def console_script(args: list[str], monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The installed entry point as a user runs it (CliRunner would show Click's usage box)."""
    from tibet_facts.tui import cli

    monkeypatch.setattr(sys, "argv", ["tibet-facts", *args])
    with pytest.raises(SystemExit) as info:
        cli.main()
    got = capsys.readouterr()
    return int(info.value.code or 0), got.out, got.err


@pytest.mark.parametrize(("args", "line"), [
    (["find", "--limit", "-1"], "find: Invalid value for '--limit': -1 is not in the range x>=1."),
    (["find", "--limit"], "find: Option '--limit' requires an argument."),
    (["find", "--format", "xml"], "find: --format wants one of table, csv, tsv, json, jsonl, md, html, svg"),
    (["find", "--bogus"], "find: No such option: --bogus"),
    (["find", "--sort", "colour"], "find: --sort wants one of value, region, period, metric, topic, doc, year "
                                   "(prefix - to reverse)"),
    (["find", "year:20x5"], "find: year: wants 2019 or 2019..2025, not '20x5'"),
    (["show"], "show: Missing argument 'ID'."),
    (["show", "a", "b"], "show: Got unexpected extra argument(s) (b)"),
    (["show", "x", "--format", "xml"], "show: --format wants one of table, csv, json, jsonl, not 'xml'"),
    (["export"], "export: Missing argument 'file'."),
    (["export", "out.xml"], "export: unknown export format 'xml' for out.xml: use one of csv, tsv, json, jsonl, "
                            "md, html, svg, xlsx, parquet"),
    (["docs", "--format", "xml"], "docs: --format wants one of table, csv, json, jsonl, not 'xml'"),
    (["metrics", "--limit", "x"], "metrics: Invalid value for '--limit': 'x' is not a valid int."),
    (["compare", "--format", "x"], "compare: --format wants one of table, csv, json, jsonl, md, html, svg, not 'x'"),
    (["corrections", "--format", "x"], "corrections: --format: table or json, not 'x'"),
    (["ingest"], "ingest: Missing argument 'paths'."),
    (["ingest", "x.txt", "--date", "2024-13"], "ingest: --date wants a calendar date YYYY, YYYY-MM or "
                                                "YYYY-MM-DD, not '2024-13'"),
    (["ingest", "x.txt", "--language", "fr"], "ingest: --language wants zh or en, not 'fr'"),
])
def test_option_errors_are_one_line_with_the_command_and_its_help(
        args: list[str], line: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = console_script(args, monkeypatch, capsys)
    command_name = args[0]
    assert (code, out, err) == (2, "", f"tibet-facts: {line} (see tibet-facts {command_name} --help)\n")


@pytest.mark.parametrize(("args", "line"), [
    (["bogus"], "No such command 'bogus'."),
    (["--bogus"], "No such option: --bogus"),
    (["--store"], "Option '--store' requires an argument."),
])
def test_errors_before_a_command_point_to_the_main_help(
        args: list[str], line: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert console_script(args, monkeypatch, capsys) == (2, "", f"tibet-facts: {line} (see tibet-facts --help)\n")


# --- parquet (issue 13) ------------------------------------------------------------------------


def test_parquet_has_the_csv_columns_and_citations(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is the optional extra: pip install "
                                                       "'tibet-facts[parquet]'")
    from tibet_facts.store.export import COLUMNS

    assert run("export", str(tmp_path / "f.csv"))[0] == 0
    code, _, err = run("export", str(tmp_path / "f.parquet"))
    assert code == 0 and "wrote 8 facts" in err
    table = pq.read_table(tmp_path / "f.parquet")
    assert table.column_names == list(COLUMNS)
    assert {str(t) for t in table.schema.types} == {"string", "double", "int64"}
    parquet_rows = table.to_pylist()
    csv_rows = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8"))))
    assert len(parquet_rows) == len(csv_rows) == 8
    for got, want in zip(parquet_rows, csv_rows, strict=True):
        for name in COLUMNS:
            value = got[name]
            assert (str(value) if not isinstance(value, str) else value) == want[name], name
    titles = {(r["doc_title"], r["doc_publisher"], r["doc_date"]) for r in parquet_rows}
    assert titles == {("电商报告", "西藏日报", "2025-12"), ("Rural e-commerce", "China Tibet News", "2020-06-24")}
    assert run("export", str(tmp_path / "f.parquet"))[0] == 1, "refuses to overwrite without --force"


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    code, out, err = run("export", str(tmp_path / "f.parquet"))
    assert (code, out) == (69, "")
    assert err == "tibet-facts: parquet export needs pyarrow: pip install 'tibet-facts[parquet]'\n"
    assert not (tmp_path / "f.parquet").exists()


# --- ingest --date --title --publisher --language --source (issue 13) --------------------------


def stored(sample_store: FactStore, name: str) -> tuple[dict[str, str], list[tuple[float, str]]]:
    store = FactStore.open(sample_store.path)
    doc = next(d for d in store.documents.values() if d.name == name)
    meta = {k: getattr(doc, k) for k in ("title", "publisher", "date", "language", "source")}
    return meta, sorted((f.value, f.period) for f in store.facts if f.doc_id == doc.id)


def test_ingest_options_give_a_plain_text_its_metadata(tmp_path: Path, sample_store: FactStore) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("今年全区网络零售额280亿元，去年为229亿元。", encoding="utf-8")
    code, out, err = run("ingest", str(plain), "--date", "2024-05", "--title", "电商笔记", "--publisher", "西藏日报",
                         "--language", "zh", "--source", "notes")
    assert code == 0, err
    assert "committed 1 documents, 2 facts" in out
    meta, facts = stored(sample_store, "plain.txt")
    assert meta == {"title": "电商笔记", "publisher": "西藏日报", "date": "2024-05", "language": "zh", "source": "notes"}
    assert facts == [(229.0, "2023"), (280.0, "2024")], "今年 and 去年 read against --date"
    record = next(r for r in json.loads(run("find", "doc:plain.txt", "--format", "json")[1]) if r["value"] == 280)
    assert (record["doc_title"], record["doc_publisher"], record["doc_date"]) == ("电商笔记", "西藏日报", "2024-05")


def test_ingest_options_win_over_front_matter_for_every_file(tmp_path: Path, sample_store: FactStore) -> None:
    front = tmp_path / "front.txt"
    front.write_text("---\ntitle: 原来的标题\ndate: 2020\n---\n今年拉萨市网络零售额12亿元。", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("今年昌都市网络零售额5亿元。", encoding="utf-8")
    assert run("ingest", str(front), str(other), "--date", "2023", "--title", "给定")[0] == 0
    for name, value in (("front.txt", 12.0), ("other.txt", 5.0)):
        meta, facts = stored(sample_store, name)
        assert (meta["title"], meta["date"], meta["publisher"]) == ("给定", "2023", "unknown")
        assert facts == [(value, "2023")]


def test_without_options_front_matter_still_dates_a_document(tmp_path: Path, sample_store: FactStore) -> None:
    front = tmp_path / "front.txt"
    front.write_text("---\ntitle: 原来的标题\ndate: 2020\n---\n今年拉萨市网络零售额12亿元。", encoding="utf-8")
    assert run("ingest", str(front))[0] == 0
    meta, facts = stored(sample_store, "front.txt")
    assert (meta["title"], meta["date"], facts) == ("原来的标题", "2020", [(12.0, "2020")])


def test_a_bad_date_stores_nothing(tmp_path: Path, sample_store: FactStore) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("今年全区网络零售额280亿元。", encoding="utf-8")
    before = sample_store.path.read_bytes()
    code, _, err = run("ingest", str(plain), "--date", "2024-02-30")
    assert code == 2 and "--date wants a calendar date" in err
    assert sample_store.path.read_bytes() == before


def test_ingest_options_keep_all_or_nothing(tmp_path: Path, sample_store: FactStore) -> None:
    good = tmp_path / "good.txt"
    good.write_text("今年全区网络零售额280亿元。", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    before = sample_store.path.read_bytes()
    code, _, err = run("ingest", str(good), str(bad), "--date", "2022")
    assert code == 1 and "bad.txt" in err and "nothing stored" in err
    assert sample_store.path.read_bytes() == before
    code, out, _ = run("ingest", str(good), str(bad), "--date", "2022", "--keep-going")
    assert code == 1 and "committed 1 documents, 1 facts" in out
    assert stored(sample_store, "good.txt")[1] == [(280.0, "2022")]
