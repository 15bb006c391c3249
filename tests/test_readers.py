"""Issue 14: saved web pages, PDFs and Word files read as their article, pages and tables.

The fixtures are made here (tests/fixtures_readers.py): a news page inside menus, ads, scripts
and a footer, saved with its `_files/` folder; a bulletin page with a table, in GBK; PDFs made by
reportlab (Chinese in STSong-Light, several pages, a table; a scan without text; an encrypted
one); a Word file with a table. The bad inputs (truncated, bombs, huge) end in one line naming
the file, a non-zero exit and nothing stored.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests import fixtures_readers as fx
from tibet_facts.store.corpus import expand_paths, read_source
from tibet_facts.store.errors import DecodeError
from tibet_facts.store.ingest import extract_source
from tibet_facts.store.model import Fact
from tibet_facts.store.readers import sandbox
from tibet_facts.store.readers.sandbox import Job, Limits, read_all
from tibet_facts.store.repository import FactStore
from tibet_facts.tui.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _facts_of(store_path: Path, name: str) -> list[Fact]:
    store = FactStore.open(store_path)
    return [f for f in store.facts if f.doc == name]


def _cells(facts: list[Fact]) -> set[tuple[str, float, str, str, str]]:
    return {(f.metric_zh, f.value, f.unit, f.period, f.kind) for f in facts}


def _store_bytes(store_path: Path) -> bytes:
    return store_path.read_bytes() if store_path.exists() else b""


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and "Traceback" not in err, err
    return lines[0]


# --- web pages -----------------------------------------------------------------------------


def test_a_saved_page_gives_the_article_and_its_metadata(tmp_path: Path, store_path: Path) -> None:
    folder = fx.news_page_folder(tmp_path / "saved")
    assert [p.name for p in expand_paths([folder])] == ["rikaze.html"]  # rikaze_files/ is assets
    code, _, err = run("ingest", str(folder))
    assert code == 0, err
    store = FactStore.open(store_path)
    doc = next(d for d in store.documents.values() if d.name == "rikaze.html")
    assert (doc.title, doc.date, doc.publisher) == (
        "日喀则市旅游收入增长",
        "2024-04-18",
        "西藏日报",
    )
    assert doc.source == "https://news.example.org/2024/0418/a1.html" and doc.language == "zh"
    assert doc.file_type == "html"
    facts = _facts_of(store_path, "rikaze.html")
    assert {f.value for f in facts} == fx.NEWS_VALUES  # nothing from menus, ads, footer, scripts
    text = store.document(doc.id).text  # type: ignore[union-attr]
    for boilerplate in ("首页", "广告", "版权所有", "相关新闻", "window.track", "8888"):
        assert boilerplate not in text
    period = {f.value: f.period for f in facts}
    assert period[15.6] == "2024-01..2024-03"  # 今年一季度 of the page's date
    assert period[48.0] == "as of 2024-04"  # 目前
    assert period[98.7] == "2023"


def test_offsets_point_into_the_text_the_page_was_read_as(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(fx.NEWS_PAGE, encoding="utf-8")
    source = read_source(page)
    text = source.document.text
    for fact in extract_source(source):
        assert text[fact.start : fact.end] == f"{fact.value:g}"  # the number as the text shows it
        assert fact.quote in text


def test_a_bulletin_table_gives_each_cell_its_metric_period_unit_and_kind(tmp_path: Path) -> None:
    source = read_source(fx.bulletin_page(tmp_path / "gongbao.html"))
    assert source.document.encoding == "gb18030"  # <meta charset="gbk">, read with its superset
    assert source.document.date == "2024-03-25"
    assert fx.BULLETIN_CELLS <= _cells(extract_source(source))
    assert "统计数据" not in source.document.text  # the menu


def test_a_page_saved_as_utf8_that_says_latin1_reads_as_utf8(tmp_path: Path) -> None:
    page = tmp_path / "mis.html"
    page.write_bytes(
        fx.NEWS_PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("utf-8")
    )
    assert read_source(page).document.title == "日喀则市旅游收入增长"


# --- PDF ---------------------------------------------------------------------------------


def test_each_fact_of_a_pdf_knows_its_page(tmp_path: Path, store_path: Path) -> None:
    pdf = fx.chinese_pdf(tmp_path / "report.pdf")
    code, _, err = run("ingest", str(pdf))
    assert code == 0, err
    facts = _facts_of(store_path, "report.pdf")
    assert {f.value: f.page for f in facts} == fx.PDF_PAGE_OF
    store = FactStore.open(store_path)
    doc = next(d for d in store.documents.values() if d.name == "report.pdf")
    assert (doc.file_type, doc.title, doc.publisher) == (
        "pdf",
        "2023年西藏自治区商务发展报告",
        "西藏自治区商务厅",
    )
    assert len(doc.pages) == 3
    on_page_3 = next(f for f in facts if f.value == 98.6)
    code, out, _ = run("show", on_page_3.id)
    assert code == 0 and "p. 3" in out


def test_a_pdf_table_gives_each_cell_its_metric_period_unit_and_kind(tmp_path: Path) -> None:
    facts = extract_source(read_source(fx.chinese_pdf(tmp_path / "t.pdf")))
    assert {
        ("社会消费品零售总额", 875.82, "亿元", "2023", "level"),
        ("社会消费品零售总额增速", 11.2, "%", "2023", "rate"),
        ("外贸进出口总额", 98.6, "亿元", "2023", "level"),
    } <= _cells(facts)


def test_an_english_pdf_reads_page_by_page(tmp_path: Path) -> None:
    source = read_source(fx.english_pdf(tmp_path / "en.pdf"))
    assert source.document.language == "en" and source.document.title == "Tibet trade report"
    assert {f.value: f.page for f in extract_source(source)} == {15.8: 1, 12.0: 2}


@pytest.mark.parametrize(
    ("maker", "says"),
    [(fx.scanned_pdf, "without a text layer"), (fx.encrypted_pdf, "encrypted PDF")],
)
def test_a_scan_or_a_locked_pdf_is_refused_in_one_line(
    tmp_path: Path, store_path: Path, maker: object, says: str
) -> None:
    pdf = maker(tmp_path / "x.pdf")  # type: ignore[operator]
    run("stats")  # the store exists (seeded): the refusal must leave it byte-identical
    before = _store_bytes(store_path)
    code, _, err = run("ingest", str(pdf))
    assert code == 1 and says in _one_line(err) and "x.pdf" in _one_line(err)
    assert _store_bytes(store_path) == before


# --- Word ------------------------------------------------------------------------------


def test_a_word_file_reads_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    source = read_source(fx.word_file(tmp_path / "nongye.docx"))
    text = source.document.text
    assert text.index("19924") < text.index("310.5") < text.index("30万亩")
    assert (
        source.document.title == "2023年农业农村发展情况" and source.document.file_type == "docx"
    )
    assert fx.DOCX_CELLS <= _cells(extract_source(source))


# --- bad input -----------------------------------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    good = fx.chinese_pdf(tmp_path / "good.pdf").read_bytes()
    files = {
        "truncated": tmp_path / "truncated.pdf",
        "garbage": tmp_path / "garbage.pdf",
        "binary page": tmp_path / "binary.html",
        "not a zip": tmp_path / "fake.docx",
        "empty page": tmp_path / "empty.html",
    }
    files["truncated"].write_bytes(good[: len(good) // 3])
    files["garbage"].write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
    files["binary page"].write_bytes(b"<html>\x00\x01\x02" + os.urandom(2000))
    files["not a zip"].write_bytes(b"PK\x03\x04 this is not a zip")
    files["empty page"].write_text(
        "<html><head><script>var a=1;</script></head><body></body></html>"
    )
    return files


def test_bad_documents_are_one_line_each_and_nothing_is_stored(
    tmp_path: Path, store_path: Path
) -> None:
    files = _bad_files(tmp_path)
    run("stats")
    before = _store_bytes(store_path)
    for path in files.values():
        code, _, err = run("ingest", str(path))
        assert code == 1 and path.name in _one_line(err), (path, err)
    assert _store_bytes(store_path) == before


def test_a_batch_with_one_bad_pdf_stores_nothing(tmp_path: Path, store_path: Path) -> None:
    (tmp_path / "batch").mkdir()
    fx.word_file(tmp_path / "batch" / "good.docx")
    (tmp_path / "batch" / "bad.pdf").write_bytes(b"%PDF-1.4\n1 0 obj")
    run("stats")
    before = _store_bytes(store_path)
    code, _, err = run("ingest", str(tmp_path / "batch"))
    assert code == 1 and "bad.pdf" in err and "nothing stored" in err
    assert _store_bytes(store_path) == before


def test_a_page_of_50_mb_is_refused_in_one_line(tmp_path: Path, store_path: Path) -> None:
    page = tmp_path / "huge.html"
    with page.open("wb") as handle:
        handle.write(b"<html><body><p>")
        handle.truncate(50 * 1024 * 1024)
    code, _, err = run("ingest", str(page))
    assert code == 1 and "huge.html" in _one_line(err) and "--max-bytes" in _one_line(err)


def test_a_pdf_bomb_ends_in_one_line_within_the_memory_cap(tmp_path: Path) -> None:
    bomb = fx.pdf_bomb(tmp_path / "bomb.pdf", inflated_mb=400)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    [outcome] = read_all(
        [Job("bomb.pdf", "pdf", path=bomb)], limits=Limits(memory=128 * sandbox.MB)
    )
    assert (
        isinstance(outcome, DecodeError)
        and "bomb.pdf" in str(outcome)
        and "\n" not in str(outcome)
    )


def test_a_zip_bomb_docx_is_refused_before_it_unpacks(tmp_path: Path, store_path: Path) -> None:
    bomb = fx.zip_bomb_docx(tmp_path / "bomb.docx", inflated_mb=120)
    code, _, err = run("ingest", str(bomb))
    assert code == 1 and "zip bomb" in _one_line(err) and "bomb.docx" in _one_line(err)


def _sleep_forever(job: Job) -> None:
    time.sleep(60)


def _abort(job: Job) -> None:
    os.abort()


def _allocate(job: Job) -> None:
    blocks = []
    while True:
        blocks.append(bytearray(64 * sandbox.MB))


@pytest.mark.parametrize(
    ("reader", "says"),
    [(_sleep_forever, "took over 1 s"), (_abort, "SIGABRT"), (_allocate, "needs over 128 MB")],
)
def test_a_reader_that_hangs_crashes_or_eats_memory_is_one_line(
    monkeypatch: pytest.MonkeyPatch, reader: object, says: str
) -> None:
    monkeypatch.setattr(sandbox, "read_job", reader)  # the forked child runs it
    started = time.monotonic()
    [outcome] = read_all(
        [Job("x.pdf", "pdf", data=b"%PDF")], limits=Limits(memory=128 * sandbox.MB, seconds=1)
    )
    assert (
        isinstance(outcome, DecodeError)
        and says in str(outcome)
        and str(outcome).startswith("x.pdf: ")
    )
    assert time.monotonic() - started < 10


def test_readers_run_in_parallel_and_keep_their_order(tmp_path: Path) -> None:
    pages = []
    for n in range(6):
        page = tmp_path / f"p{n}.html"
        page.write_text(fx.NEWS_PAGE.replace("120.5", f"12{n}.5"), encoding="utf-8")
        pages.append(page)
    outcomes = list(read_all([Job(p.name, "html", path=p) for p in pages], workers=2))
    texts = [o.text for o in outcomes]  # type: ignore[union-attr]
    assert [f"12{n}.5" in t for n, t in enumerate(texts)] == [True] * 6


def test_a_page_that_kills_its_group_child_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = sandbox.read_job

    def abort_on_bad(job: Job) -> object:
        if job.name == "bad.html":
            os.abort()
        return real(job)

    monkeypatch.setattr(sandbox, "read_job", abort_on_bad)
    names = ["a.html", "bad.html", "c.html", "d.html", "e.html"]
    jobs = [Job(n, "html", data=fx.NEWS_PAGE.encode()) for n in names]
    outcomes = list(read_all(jobs, workers=1))  # one child takes all five: a group
    assert [isinstance(o, DecodeError) for o in outcomes] == [False, True, False, False, False]
    assert str(outcomes[1]).startswith("bad.html: ") and "SIGABRT" in str(outcomes[1])


# --- lookups stay light --------------------------------------------------------------------


def test_a_cold_find_never_imports_the_readers(store_path: Path) -> None:
    run("stats")  # the store is built first (from the seeds)
    code = (
        "import sys; sys.argv=['tibet-facts','find','零售额','--format','json']\n"
        "from tibet_facts.tui import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('trafilatura', 'pypdfium2', 'docx', 'httpx', 'lxml', 'htmldate',\n"
        "         'tibet_facts.store.readers') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TIBET_FACTS_STORE": str(store_path)},
    )
    assert done.returncode == 0, done.stderr


# --- property tests ------------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tibet_facts.store.readers import tables  # noqa: E402
from tibet_facts.store.readers.html import read_html  # noqa: E402
from tibet_facts.store.sanitize import has_controls  # noqa: E402

_CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "指标",
            "单位",
            "2023年",
            "比上年增长%",
            "亿元",
            "9.5",
            "-2.3",
            "1,234.5",
            "—",
            "占比%",
            "(亿元)",
            "拉萨市",
        ]
    ),
)


@given(st.lists(st.lists(_CELL, max_size=6), max_size=8), st.text(max_size=40))
def test_any_table_becomes_lines_without_raising(grid: list[list[str]], caption: str) -> None:
    lines = tables.table_lines(grid, caption)
    assert all(isinstance(line, str) and "\n" not in line for line in lines)


@given(st.text(max_size=400))
def test_any_page_is_read_or_refused_in_one_line(body: str) -> None:
    head = f"<html><head><title>{body[:30]}</title></head>"
    page = f"{head}<body><article><p>{body}</p></article></body></html>"
    try:
        read = read_html(page.encode("utf-8", "surrogatepass"), "p.html")
    except DecodeError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("p.html: ")
        return
    assert not has_controls(read.text.replace("\n", ""))


@given(st.binary(min_size=1, max_size=2000), st.integers(0, 6000))
def test_a_damaged_pdf_is_read_or_refused_in_one_line(noise: bytes, at: int) -> None:
    good = _small_pdf()
    data = good[: at % len(good)] + noise + good[at % len(good) + len(noise) :]
    [outcome] = read_all([Job("d.pdf", "pdf", data=data)], limits=Limits(seconds=20))
    assert not isinstance(outcome, DecodeError) or (
        "\n" not in str(outcome) and str(outcome).startswith("d.pdf: ")
    )


_PDF: list[bytes] = []


def _small_pdf() -> bytes:
    if not _PDF:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            _PDF.append(fx.english_pdf(Path(folder) / "e.pdf").read_bytes())
    return _PDF[0]
