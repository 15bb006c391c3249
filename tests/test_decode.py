"""The decode ladder: encodings read, stray terminal controls blanked, binaries and undecodable bytes
refused with one line, and nothing but a regular file opened."""

from __future__ import annotations

import codecs
import errno
import os
import socket
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tibet_facts.store.decode import decode_document, looks_binary, neutralize_controls, read_document
from tibet_facts.store.errors import DecodeError
from tibet_facts.store.sanitize import clean_controls, has_controls, safe_text

TEXT = "2025年西藏全区网络零售额280.2亿元，龑䶮𠀀。\nOnline retail sales: 28 billion yuan."


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_encodings_read_to_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode_document(data, "doc.txt")
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_gbk_text_reads_as_gb18030() -> None:
    text = "西藏电子商务进农村综合示范县"
    assert decode_document(text.encode("gbk"), "a.txt").text == text


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "no text"),
        (b"  \n\t ", "no text"),
        (codecs.BOM_UTF8, "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(100), "binary"),
        ("中文".encode("big5") + b"\xff\xfe\xfd" * 3, "cannot decode"),
    ],
)
def test_bad_input_is_refused_in_one_line(data: bytes, words: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_document(data, "bad\x1b[2J.txt")
    message = str(info.value)
    assert words in message and "\n" not in message and "\x1b" not in message


def test_paths_that_are_not_files(tmp_path: Path) -> None:
    with pytest.raises(DecodeError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(DecodeError, match="not a regular file"):
        read_document(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(DecodeError, match="over the limit"):
        read_document(big, max_bytes=1000)


def test_controls_are_replaced_one_for_one() -> None:
    raw = "a\x1b]52;c;aGk=\x07b\u202ec\u200bd\x9be"
    cleaned = clean_controls(raw)
    assert len(cleaned) == len(raw)
    assert not has_controls(cleaned)
    assert "\x1b" not in safe_text(raw) and "\x9b" not in safe_text(raw)


@given(st.binary(max_size=400))
def test_decoder_only_ever_raises_decode_error(data: bytes) -> None:
    try:
        decoded = decode_document(data, "fuzz.bin")
    except DecodeError:
        return
    assert not has_controls(decoded.text)


@given(st.text(max_size=200))
def test_utf8_text_round_trips(text: str) -> None:
    try:
        decoded = decode_document(text.encode("utf-8"), "t.txt")
    except DecodeError:
        return
    assert decoded.text == clean_controls(decoded.text)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(codec: str) -> None:
    decoded = decode_document(TEXT.encode(codec), "nobom.txt")
    assert decoded.text == TEXT and decoded.encoding == codec


# Stray terminal controls are text; binary is NUL bytes or mostly controls -----------------------

SCRAPED = "拉萨市\x1b[2J网络零售额\x07达12.3亿元\x1b]52;c;MTIz\x07，\x9b31m同比增长5%\x1b[0m。\n"


def test_a_text_with_stray_controls_is_read_with_them_blanked() -> None:
    decoded = decode_document(SCRAPED.encode("utf-8"), "scraped.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text == "拉萨市" + " " * 4 + "网络零售额 达12.3亿元" + " " * 12 + "，" + " " * 4 + "同比增长5%" \
        + " " * 4 + "。\n"
    assert len(decoded.text) == len(SCRAPED) and not has_controls(decoded.text)


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("a\x1b]52;c;aGk=\x07b", "a            b"),  # OSC 52 ended by BEL: the payload goes too
        ("a\x1b]0;title\x1b\\b", "a           b"),  # OSC ended by ST
        ("a\x1bP1$r\x1b\\b", "a       b"),  # DCS
        ("a\x1b[2Jb", "a    b"),
        ("a\x1b[38;5;196mb", "a           b"),
        ("a\x9b2Jb", "a   b"),  # C1 CSI
        ("a\x1b7b\x1b(Bc", "a  b   c"),  # save cursor, charset designation
        ("\x1bLhasa", " Lhasa"),  # an ESC before a letter: only the ESC goes
        ("a\x1b]52;c;abc 中", "a  52;c;abc 中"),  # unterminated: its opener only
        ("a\x1b[中", "a  中"),
        ("bel\x07\x7f\x85x\ty", "bel   x\ty"),
    ],
)
def test_terminal_sequences_are_blanked_whole_and_keep_their_length(raw: str, cleaned: str) -> None:
    assert neutralize_controls(raw) == cleaned and len(cleaned) == len(raw)


@pytest.mark.parametrize(
    "data, binary",
    [
        (b"text\x00", True),
        ("西藏".encode() * 40_000 + b"\x00", True),  # a NUL far past the first 64 KiB
        (bytes(range(1, 32)) * 20, True),  # no NUL, but mostly controls
        (b"\x1b[1;31mERROR\x1b[0m: disk full\n" * 50, False),  # an ANSI-coloured log is text
        (SCRAPED.encode("utf-8"), False),
        (b"one stray \x1b in a line\n", False),
    ],
)
def test_binary_means_nul_or_mostly_controls(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary


def test_mostly_controls_is_refused_as_binary() -> None:
    with pytest.raises(DecodeError, match=r"^junk.txt: binary data, not a text document$"):
        decode_document(b"\x01\x02\x03\x04ab", "junk.txt")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bare_utf16_with_a_stray_escape_is_text(codec: str) -> None:
    raw = "2025年西藏全区网络零售额\x1b[2J280.2亿元。"
    decoded = decode_document(raw.encode(codec), "nobom.txt")
    assert decoded.encoding == codec and decoded.text == raw.replace("\x1b[2J", "    ")


# Only regular files are opened ----------------------------------------------------------------

def _opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths os.open is asked for, from here on."""
    opened: list[str] = []
    real = os.open

    def spy(path: str | Path, flags: int, *args: int) -> int:
        opened.append(os.fspath(path))
        return real(path, flags, *args)

    monkeypatch.setattr(os, "open", spy)
    return opened


def test_what_is_not_a_regular_file_is_refused_without_being_opened(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "dir.txt").mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.txt"))
    opened = _opens(monkeypatch)
    reasons = {
        "fifo.txt": "not a regular file (a FIFO)",  # a read would wait for a writer for ever
        "zero.txt": "not a regular file (a character device)",  # a read would never end
        "loop.txt": "symlink loop",
        "broken.txt": "broken symlink (its target does not exist)",
        "missing.txt": "no such file",
        "dir.txt": "not a regular file (a folder)",
        "sock.txt": "not a regular file (a socket)",
    }
    for name, reason in reasons.items():
        with pytest.raises(DecodeError) as info:
            read_document(tmp_path / name)
        assert str(info.value) == f"{tmp_path / name}: {reason}"
    server.close()
    assert opened == []


def test_an_unreadable_file_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("拉萨市网络零售额12.3亿元。", encoding="utf-8")

    def denied(target: str | Path, flags: int, *args: int) -> int:  # root reads mode 0000: inject EACCES
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(target))

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(DecodeError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: cannot read (Permission denied)"


def test_a_fifo_swapped_in_after_the_stat_neither_blocks_nor_is_read(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("拉萨市网络零售额12.3亿元。", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    real = os.open
    # the path names a FIFO by the time it is opened: without O_NONBLOCK this open would block
    monkeypatch.setattr(os, "open", lambda target, flags, *a: real(fifo, flags, *a))
    with pytest.raises(DecodeError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: not a regular file (a FIFO)"


def _sized(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """stat and fstat report `size`, as for a file that grows after them (or /proc's 0)."""
    real_stat, real_fstat = os.stat, os.fstat

    def shrink(result: os.stat_result) -> os.stat_result:
        fields = list(result)
        fields[stat.ST_SIZE] = size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", lambda p, *a, **k: shrink(real_stat(p, *a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: shrink(real_fstat(fd)))


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "growing.txt"
    path.write_bytes(b"a" * 5000)
    _sized(monkeypatch, 10)
    with pytest.raises(DecodeError) as info:
        read_document(path, max_bytes=1000)
    assert str(info.value) == f"{path}: 1001 bytes is over the limit of 1000 (pass --max-bytes)"


def test_a_file_that_reports_no_size_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "proc.txt"
    path.write_text(TEXT, encoding="utf-8")
    _sized(monkeypatch, 0)
    assert read_document(path).text == TEXT
