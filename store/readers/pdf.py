"""PDFs: the text layer in reading order, page by page, tables as sentences, and the metadata.

pypdfium2 (PDFium, the engine of Chrome's viewer; BSD/Apache) reads the text layer ten times
faster than pdfminer.six and splits each line into runs at the gaps between them, which is what
a table's cells are. A page's runs are grouped into lines by their baseline; a line of several
runs set apart by wide gaps is a table row, consecutive rows a table (tables.py writes it out);
other lines are joined into paragraphs (a blank line where the page leaves a gap or a paragraph
ends short), so a sentence broken by the page width reads whole. Page numbers alone on the first
or last line of a page are left out: they are not figures.

A PDF without text (a scan) is refused with a reason; so is one that needs a password. PDFium
is C: it runs in a child process with a memory and time limit (sandbox.py).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Any

from tibet_facts.store.errors import DecodeError
from tibet_facts.store.readers import ReadDocument, clean_block, joined
from tibet_facts.store.readers.tables import add_table

_CJK_END = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
_PAGE_NUMBER = re.compile(
    r"[-—–\s]*(?:第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)[-—–\s]*",
    re.I,
)
_PDF_DATE = re.compile(r"D?:?((?:19|20)\d\d)(\d\d)?(\d\d)?")
_NOT_TITLES = {
    "",
    "(anonymous)",
    "anonymous",
    "untitled",
    "(unspecified)",
    "unspecified",
    "microsoft word",
}
# A gap wider than this many character heights between two runs of a line separates cells.
CELL_GAP = 1.2
# A vertical gap this many times the usual line spacing ends a paragraph.
PARAGRAPH_GAP = 1.5
FPDF_ERR_PASSWORD = 4


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text on one line of a page, with its box (PDF points, y up)."""

    left: float
    bottom: float
    right: float
    top: float
    text: str


@dataclass(slots=True)
class Line:
    """The runs on one baseline; cells are runs (or groups of runs) set apart by wide gaps."""

    cells: list[list[Run]]

    @property
    def bottom(self) -> float:
        return self.cells[0][0].bottom

    @property
    def right(self) -> float:
        return self.cells[-1][-1].right

    def cell_texts(self) -> list[str]:
        return [_glued([r.text.strip() for r in cell]) for cell in self.cells]

    def text(self) -> str:
        return _glued(self.cell_texts(), cell_sep="  ")


def _glued(parts: list[str], cell_sep: str = "") -> str:
    """Pieces of one line joined: nothing between two Chinese ones, a space otherwise."""
    out = ""
    for part in (p for p in parts if p):
        if out:
            out += cell_sep or ("" if _CJK_END.search(out) or _CJK_START.search(part) else " ")
        out += part
    return out


def read_pdf(data: bytes, name: str) -> ReadDocument:
    """A PDF's text, page by page; DecodeError naming the file when it has no text or is locked."""
    pdf = _open(data, name)
    try:
        texts = [page_text(pdf[i]) for i in range(len(pdf))]
        meta = pdf_meta(pdf.get_metadata_dict())
    finally:
        pdf.close()
    if not any(t.strip() for t in texts):
        raise DecodeError(f"{name}: a PDF without a text layer (a scan?); run OCR on it first")
    text, pages = _paged(texts)
    return ReadDocument(text=text, kind="pdf", meta=meta, pages=pages)


def _open(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == FPDF_ERR_PASSWORD:
            raise DecodeError(
                f"{name}: an encrypted PDF (it needs a password); not read"
            ) from None
        reason = str(exc).split("(", 1)[-1].rstrip(").") if "(" in str(exc) else str(exc)
        raise DecodeError(f"{name}: not a readable PDF ({reason})") from None


def _paged(texts: list[str]) -> tuple[str, list[int]]:
    """The pages' texts as one, a blank line between pages, and where each page starts."""
    starts: list[int] = []
    out: list[str] = []
    at = 0
    for text in texts:
        starts.append(at)
        out.append(text)
        at += len(text) + 2
    return "\n\n".join(out), starts


def page_text(page: Any) -> str:
    """One page's text: paragraphs and tables, in the order the page draws them."""
    textpage = page.get_textpage()
    try:
        runs = page_runs(textpage)
    finally:
        textpage.close()
        page.close()
    return clean_block(joined(blocks_of(lines_of(runs))))


def page_runs(textpage: Any) -> list[Run]:
    """The text runs of a page, in PDFium's order."""
    runs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = (
            textpage.get_text_bounded(left, bottom, right, top)
            .replace("\r", "")
            .replace("\n", " ")
        )
        if text.strip():
            runs.append(Run(left, bottom, right, top, text))
    return runs


def _size(runs: list[Run]) -> float:
    """The usual character height on the page (PDFium gives some runs no height)."""
    heights = [r.top - r.bottom for r in runs if r.top - r.bottom > 1]
    return statistics.median(heights) if heights else 10.0


def lines_of(runs: list[Run]) -> list[Line]:
    """Runs grouped into lines by baseline, and within a line into cells at the wide gaps."""
    size = _size(runs)
    lines: list[Line] = []
    for run in runs:
        last = lines[-1] if lines else None
        if last is None or abs(run.bottom - last.bottom) > size / 2 or run.left < last.right - 1:
            lines.append(Line([[run]]))
        elif run.left - last.right > CELL_GAP * size:
            last.cells.append([run])
        else:
            last.cells[-1].append(run)
    return _without_page_numbers(lines)


def _without_page_numbers(lines: list[Line]) -> list[Line]:
    for at in (-1, 0):
        if lines and _PAGE_NUMBER.fullmatch(lines[at].text()):
            del lines[at]
    return lines


def blocks_of(lines: list[Line]) -> list[str]:
    """Lines as blocks: consecutive rows of cells a table, other lines joined into paragraphs."""
    blocks: list[str] = []
    paragraph: list[Line] = []
    spacing = _spacing(lines)
    widest = max((ln.right for ln in lines), default=0.0)
    i = 0
    while i < len(lines):
        end = _table_end(lines, i)
        if end > i:
            _flush(paragraph, blocks)
            add_table(blocks, [ln.cell_texts() for ln in lines[i:end]])
            i = end
            continue
        if paragraph and _breaks(paragraph[-1], lines[i], spacing, widest):
            _flush(paragraph, blocks)
        paragraph.append(lines[i])
        i += 1
    _flush(paragraph, blocks)
    return blocks


def _table_end(lines: list[Line], start: int) -> int:
    """The end of a table starting at `start` (two or more rows of cells), else `start`."""
    end = start
    while end < len(lines) and len(lines[end].cells) >= 2:
        end += 1
    return end if end - start >= 2 else start


def _spacing(lines: list[Line]) -> float:
    """The usual distance between the baselines of two lines that follow each other."""
    gaps = [
        a.bottom - b.bottom for a, b in zip(lines, lines[1:], strict=False) if a.bottom > b.bottom
    ]
    return statistics.median(gaps) if gaps else 0.0


def _breaks(previous: Line, line: Line, spacing: float, widest: float) -> bool:
    """A new paragraph: a wider gap than the usual spacing, or a line that ended short (the last
    of a paragraph, a heading): prose set in a column fills its lines to the right margin."""
    gap = previous.bottom - line.bottom
    if spacing and (gap > PARAGRAPH_GAP * spacing or gap < 0):
        return True
    return previous.right < widest - 2 * _size(previous.cells[0])


def _flush(paragraph: list[Line], blocks: list[str]) -> None:
    if paragraph:
        blocks.append(_glued([ln.text() for ln in paragraph]))
        paragraph.clear()


def pdf_meta(info: dict[str, str]) -> dict[str, str]:
    """Title, publisher (author) and creation date (a weak date) from the document information."""
    meta: dict[str, str] = {}
    title = " ".join((info.get("Title") or "").split())
    if title.lower() not in _NOT_TITLES:
        meta["title"] = title
    author = " ".join((info.get("Author") or "").split())
    if author.lower() not in _NOT_TITLES:
        meta["publisher"] = author
    m = _PDF_DATE.match(info.get("CreationDate") or "")
    if m:
        meta["created"] = "-".join(p for p in m.groups() if p)
    return meta
