"""Turn a document's bytes into text, or refuse it with a reason that names the file.

The decode ladder (shared/RELIABILITY.md): an explicit encoding wins; then a BOM (UTF-32 before
UTF-16, since the UTF-32-LE BOM starts with the UTF-16-LE one); binary data is refused; then
strict UTF-8; then strict GB18030 when the result reads as Chinese text. Never latin-1, never
errors="ignore": a wrong guess would store garbage that looks like facts.

Binary means NUL bytes or a file that is mostly control bytes. A news text holding a stray ESC or
BEL, or whole terminal sequences (OSC 52, CSI), is text: it is stored with each sequence and
each control replaced by as many spaces, so offsets stay valid and no sequence reaches a screen.

Only regular files are read: the path is stat'ed before it is opened (a FIFO, a device or a
symlink to one is refused without a read that could hang or never end), opened with O_NONBLOCK
(a FIFO swapped in after the stat cannot block the open), checked again on the open descriptor,
and read no further than the size limit.
"""

from __future__ import annotations

import codecs
import errno
import html
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tibet_facts.store.errors import DecodeError, file_kind
from tibet_facts.store.sanitize import clean_controls, safe_text

MAX_BYTES = 20 * 1024 * 1024
# Above this share of control bytes a NUL-free file is not text (an ANSI-coloured log is ~5 %).
BINARY_SHARE = 0.25
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Terminal sequences (ECMA-48), neutralised whole: their parameters are not text (the 2 of CSI 2J
# or the digits of an OSC 52 payload must not become facts). CSI: ESC [ or C1 CSI, parameters,
# intermediates, a final byte. OSC, DCS, SOS, PM, APC: an opener, a string without controls and
# a terminator (BEL, ESC \ or C1 ST); bounded, so an unterminated one costs a bounded scan and
# only its opener is replaced. Then ESC with intermediates (charset designations, ESC ( B), with a
# digit or a sign (ESC 7, ESC =), a lone ST or an opener whose sequence does not complete: an
# ESC before a letter loses only itself, since the letter may begin a word ("\x1bLhasa").
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]{0,256}[ -/]{0,16}[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x00-\x1f\x7f-\x9f]{0,16384}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b(?:[ -/]{1,16}[0-~]|[0-?\\\[\]PX^_])"
)
_OPENER = re.compile("[\x1b\x90\x98\x9b\x9d-\x9f]")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{0,2000}>", re.S | re.I)
_BLOCK_TAG = re.compile(r"</?(p|div|br|li|h[1-6]|tr|section|article)\b", re.I)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A document's text, sanitized, with the encoding it was read in."""

    text: str
    encoding: str


def sniff_bom(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _control_bytes(sample: bytes) -> int:
    """C0 controls other than tab, LF, FF and CR, and DEL: what a text holds a few of at most."""
    return sum(1 for b in sample if (b < 32 and b not in (9, 10, 12, 13)) or b == 127)


def looks_binary(data: bytes) -> bool:
    """A NUL byte anywhere (a text never holds one; a search of the whole file is one C loop),
    or controls making more than BINARY_SHARE of the first 64 KiB, mean binary. A scraped text
    with stray escapes (a few controls in a line) stays far below that share."""
    if b"\x00" in data:
        return True
    sample = data[:65536]
    return _control_bytes(sample) > len(sample) * BINARY_SHARE


def _mostly_chinese(text: str) -> bool:
    """A GB18030 reading is accepted only if it reads as CJK, ASCII and CJK punctuation."""
    if not text:
        return False
    good = sum(1 for ch in text if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return good / len(text) >= 0.95


def _control_chars(text: str) -> int:
    return sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or 127 <= ord(c) < 160)


def _bare_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: accepted only when it reads as Chinese/ASCII text with few controls."""
    if len(data) < 8 or len(data) % 2 or b"\x00" not in data[:4096]:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        head = text[:4096]
        # a U+0000 or a heap of controls means the NULs were binary, not the high bytes of UTF-16
        if _mostly_chinese(text) and "\x00" not in head and _control_chars(head) <= len(head) * BINARY_SHARE:
            return name
    return None


def _decode_bytes(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"cannot decode {name} as {encoding}: {exc}") from None
    bom = sniff_bom(data)
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"cannot decode {name}: bad {bom} at offset {exc.start}") from None
        return text.lstrip("\ufeff"), bom
    bare = _bare_utf16(data)
    if bare:
        return data.decode(bare), bare
    if looks_binary(data):
        raise DecodeError(f"{name}: binary data, not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if _mostly_chinese(text):
        return text, "gb18030"
    byte = data[first.start]
    raise DecodeError(
        f"cannot decode {name}: not UTF-8 or GB18030 (byte 0x{byte:02x} at offset {first.start}); pass --encoding"
    )


def neutralize_controls(text: str) -> str:
    """Each terminal sequence and each other control (but LF and tab) becomes spaces, one per
    character: offsets into the text stay valid. Spaces rather than U+FFFD: a space separates
    words for the extractor (no placeholder glued into a quote, a metric or a number), and lone
    controls were always stored as spaces (sanitize.clean_controls), so a text stored before
    keeps its id; `safe_text` still shows any control left in a name or a title as U+FFFD."""
    if _OPENER.search(text):  # a plain char class scans 5x faster than the sequences' alternation
        text = _SEQUENCE.sub(lambda m: " " * len(m.group(0)), text)
    return clean_controls(text)


def normalize_newlines(text: str) -> str:
    """CRLF and CR become LF; NFC so that composed and decomposed forms compare alike."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def strip_html(text: str) -> str:
    """Tags out, block tags as line breaks, entities decoded: an HTML page read as its text."""
    text = _BLOCK_TAG.sub(lambda m: "\n" + m.group(0), text)
    return html.unescape(_TAG.sub("", text))


def decode_document(data: bytes, name: str = "<bytes>", *, encoding: str | None = None,
                    is_html: bool = False) -> Decoded:
    """Bytes -> sanitized text; raises DecodeError (one line, naming the file) and nothing else."""
    shown = safe_text(name, single_line=True)
    return _cleaned(_decoded(data, shown, encoding), shown, is_html)


def _decoded(data: bytes, shown: str, encoding: str | None) -> tuple[str, str]:
    if not data or data.isspace():  # not data.strip(): that copies a huge file
        raise DecodeError(f"{shown}: no text (empty file)")
    return _decode_bytes(data, shown, encoding)


def _cleaned(decoded: tuple[str, str], shown: str, is_html: bool) -> Decoded:
    text, used = decoded
    text = normalize_newlines(text)
    if is_html:
        text = strip_html(text)
    text = neutralize_controls(text)
    if not text or text.isspace():
        raise DecodeError(f"{shown}: no text (only white space)")
    return Decoded(text=text, encoding=used)


def read_document(path: Path, *, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> Decoded:
    """Read and decode one file, refusing what is not a regular readable file of sane size."""
    shown = safe_text(str(path), single_line=True)
    data = read_regular_file(path, shown, max_bytes)
    decoded = _decoded(data, shown, encoding)
    del data  # the bytes go before the text is cleaned (a huge file is not held three times)
    return _cleaned(decoded, shown, path.suffix.lower() in {".html", ".htm"})


# O_NONBLOCK: opening a FIFO (one swapped in after the stat) returns at once instead of waiting
# for a writer; it changes nothing for a regular file's reads.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


def read_regular_file(path: Path, shown: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most max_bytes; DecodeError naming `shown` otherwise.
    Nothing but a regular file is opened for reading (a FIFO would block, /dev/zero never ends)."""
    _refuse_special(path, _stat(path, shown), shown, max_bytes)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise DecodeError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(fd)
        _refuse_special(path, opened, shown, max_bytes)  # the path may name another file by now
        size = opened.st_size
        try:
            data = handle.read(size + 1)  # one more byte: a file that grew since its stat shows it
            if len(data) > size:  # grown (or sized 0, as /proc reports): read on, up to the limit
                data += handle.read(max_bytes + 1 - len(data))
        except OSError as exc:
            raise DecodeError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    _check_size(len(data), max_bytes, shown)
    return data


def _stat(path: Path, shown: str) -> os.stat_result:
    """os.stat (following symlinks), with a reason for each way it fails."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        reason = "broken symlink (its target does not exist)" if os.path.islink(path) else "no such file"
    except OSError as exc:
        reason = "symlink loop" if exc.errno == errno.ELOOP else f"cannot read ({exc.strerror or exc})"
    raise DecodeError(f"{shown}: {reason}")


def _refuse_special(path: Path, st: os.stat_result, shown: str, max_bytes: int) -> None:
    """Refuse all but a regular file within the size limit; a folder that cannot be listed (met
    while walking a folder) says so."""
    if stat.S_ISREG(st.st_mode):
        _check_size(st.st_size, max_bytes, shown)
        return
    if stat.S_ISDIR(st.st_mode):
        try:
            os.scandir(path).close()
        except OSError as exc:
            raise DecodeError(f"{shown}: cannot open folder ({exc.strerror or exc})") from None
    raise DecodeError(f"{shown}: not a regular file ({file_kind(st.st_mode)})")


def _check_size(size: int, max_bytes: int, shown: str) -> None:
    if size > max_bytes:
        raise DecodeError(f"{shown}: {size} bytes is over the limit of {max_bytes} (pass --max-bytes)")
