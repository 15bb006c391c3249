"""Exports of facts and comparisons, with their citations, in every format a report needs.

CSV/TSV/JSON/JSONL/XLSX/Parquet carry source columns (document title, date, source, quote,
offsets); Markdown and HTML a footnote per figure; SVG (the Rich table itself) a source line. A
CSV cell never starts a live formula. Files are written atomically and never overwrite without
`force`. Parquet (for pandas, R and DuckDB) needs pyarrow, the optional extra `parquet`.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

from rich.console import Console

from tibet_facts.store.errors import StoreWriteError, TibetFactsError
from tibet_facts.store.format import as_written, citation, common_value, doc_fields
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.render import facts_table
from tibet_facts.store.sanitize import safe_text

FORMATS = ("csv", "tsv", "json", "jsonl", "md", "html", "svg", "xlsx", "parquet")
COLUMNS = ("id", "metric_zh", "metric_en", "metric_id", "value", "unit", "base_value", "base_unit", "qualifier",
           "kind", "region", "region_en", "period", "topic", "quote", "doc", "start", "end", "doc_title",
           "doc_publisher", "doc_date", "doc_source")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


# Columns that are numbers in a typed format (Parquet); every other column is text.
FLOAT_COLUMNS = ("value", "base_value")
INT_COLUMNS = ("start", "end")


class ExportError(TibetFactsError):
    """An export that cannot be written (exists without --force)."""


class ExportFormatError(ExportError):
    """An unknown export format: a usage error."""

    exit_code = 2


class MissingExtra(ExportError):
    """A format whose optional library is not installed (EX_UNAVAILABLE)."""

    exit_code = 69


def fmt_for(path: Path, fmt: str | None) -> str:
    """The format a path's suffix (or `fmt`) names, checked to be one we write, and writable
    here: parquet needs its extra installed."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ExportFormatError(f"unknown export format {chosen!r} for {safe_text(path.name, single_line=True)}: "
                                f"use one of {', '.join(FORMATS)}")
    if chosen == "parquet":
        _require("pyarrow", "parquet")
    return chosen


def _require(module: str, extra: str) -> None:
    from importlib.util import find_spec

    if find_spec(module) is None:
        raise MissingExtra(f"{extra} export needs {module}: pip install 'tibet-facts[{extra}]'")


def rows(facts: list[Fact], docs: dict[str, Document]) -> list[dict[str, object]]:
    """One flat record per fact with its citation columns."""
    out = []
    for f in facts:
        doc = docs.get(f.doc_id)
        record: dict[str, object] = {k: getattr(f, k) for k in COLUMNS if hasattr(f, k)}
        record.update(doc_fields(doc))
        out.append({k: (safe_text(v, single_line=True) if isinstance(v, str) else v) for k, v in record.items()})
    return out


def guard_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _delimited(records: list[dict[str, object]], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in records:
        values = [guard_cell(r.get(c, "")) for c in COLUMNS]
        if delimiter == "\t":
            values = [str(v).replace("\t", " ") if isinstance(v, str) else v for v in values]
        writer.writerow(values)
    return buf.getvalue()


def _md_escape(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("*", "\\*")


def _markdown(facts: list[Fact], docs: dict[str, Document], title: str) -> str:
    lines = [f"# {_md_escape(title)}", ""] if title else []
    lines += ["| metric | value | common unit | region | period | source |", "|---|---:|---:|---|---|---|"]
    notes = []
    for n, f in enumerate(facts, 1):
        lines.append(f"| {_md_escape(safe_text(f.metric_zh or f.metric_en, single_line=True))} | "
                     f"{_md_escape(as_written(f))} | {_md_escape(common_value(f))} | {_md_escape(f.region)} | "
                     f"{_md_escape(f.period)} | [^{n}] |")
        notes.append(f"[^{n}]: {_md_escape(safe_text(citation(f, docs.get(f.doc_id)), single_line=True))} — "
                     f"“{_md_escape(safe_text(f.quote, single_line=True))}”")
    return "\n".join(lines + [""] + notes) + "\n"


def _html(facts: list[Fact], docs: dict[str, Document], title: str) -> str:
    esc = lambda s: html.escape(safe_text(s, single_line=True))  # noqa: E731
    head = f"<h1>{esc(title)}</h1>" if title else ""
    body = ["<table>", "<tr><th>metric</th><th>value</th><th>common unit</th><th>region</th><th>period</th>"
            "<th>source</th></tr>"]
    notes = []
    for n, f in enumerate(facts, 1):
        body.append(f"<tr><td>{esc(f.metric_zh or f.metric_en)}</td><td>{esc(as_written(f))}</td>"
                    f"<td>{esc(common_value(f))}</td><td>{esc(f.region)}</td><td>{esc(f.period)}</td>"
                    f'<td><a href="#fn{n}">[{n}]</a></td></tr>')
        notes.append(f'<li id="fn{n}">{esc(citation(f, docs.get(f.doc_id)))} — “{esc(f.quote)}”</li>')
    body.append("</table>")
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{esc(title or "tibet-facts export")}</title>'
            f"</head><body>{head}{''.join(body)}<ol>{''.join(notes)}</ol></body></html>\n")


def _svg(facts: list[Fact], docs: dict[str, Document], title: str) -> str:
    console = Console(record=True, width=140, file=io.StringIO(), color_system="truecolor")
    console.print(facts_table(facts, docs, title=title))
    sources = sorted({safe_text(f"{d.title}, {d.publisher}, {d.date}", single_line=True)
                      for d in (docs.get(f.doc_id) for f in facts) if d})
    console.print("Sources: " + "; ".join(sources), markup=False, highlight=False)
    return console.export_svg(title=safe_text(title or "tibet-facts"))


def _xlsx(records: list[dict[str, object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "facts"
    sheet.append(list(COLUMNS))
    for r in records:
        sheet.append([guard_cell(r.get(c, "")) for c in COLUMNS])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _parquet(records: list[dict[str, object]]) -> bytes:
    """The CSV's columns and values, typed: numbers as float64/int64, the rest as text (not
    guarded against formulas: no spreadsheet runs a Parquet cell)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def kind(name: str) -> pa.DataType:
        if name in FLOAT_COLUMNS:
            return pa.float64()
        return pa.int64() if name in INT_COLUMNS else pa.string()

    schema = pa.schema([(name, kind(name)) for name in COLUMNS])
    table = pa.table({name: [r.get(name, "") for r in records] for name in COLUMNS}, schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def render_facts(facts: list[Fact], docs: dict[str, Document], fmt: str, *, title: str = "") -> str | bytes:
    records = rows(facts, docs)
    if fmt == "csv":
        return _delimited(records, ",")
    if fmt == "tsv":
        return _delimited(records, "\t")
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "md":
        return _markdown(facts, docs, title)
    if fmt == "html":
        return _html(facts, docs, title)
    if fmt == "svg":
        return _svg(facts, docs, title)
    if fmt == "parquet":
        return _parquet(records)
    return _xlsx(records)


def write_atomic(path: Path, payload: str | bytes, *, force: bool = False, parents: bool = False) -> Path:
    """Write an export atomically (storage's one atomic writer), with the umask's mode. A
    missing folder is made only when asked: a typo in a path should not leave folders about."""
    from tibet_facts.store.db.files import atomic_write

    if path.exists() and not force:
        raise ExportError(f"{safe_text(str(path), single_line=True)} exists: pass --force to overwrite")
    if not path.parent.is_dir():
        _make_folder(path, parents)
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    atomic_write(path, data, what="export", backup=False, hook=False)
    return path


def _make_folder(path: Path, parents: bool) -> None:
    shown = safe_text(str(path.parent), single_line=True)
    if path.parent.exists():
        raise StoreWriteError(f"cannot write export {safe_text(str(path), single_line=True)}: "
                              f"{shown} is a file, not a folder")
    if not parents:
        raise StoreWriteError(f"cannot write export {safe_text(str(path), single_line=True)}: "
                              f"folder {shown} does not exist (--parents makes it)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreWriteError(f"cannot make folder {shown}: {exc.strerror or exc}") from None


def export_facts(facts: list[Fact], docs: dict[str, Document], path: Path, fmt: str | None = None, *,
                 force: bool = False, title: str = "", parents: bool = False) -> Path:
    payload = render_facts(facts, docs, fmt_for(path, fmt), title=title)
    return write_atomic(path, payload, force=force, parents=parents)
