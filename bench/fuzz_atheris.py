"""Coverage-guided fuzzing with atheris (the soak beside the hypothesis suite): the decoder, the
extractor, the query language and the store reader get arbitrary bytes; each may only succeed or
raise its own error. Needs `pip install atheris`.

    .venv/bin/python bench/fuzz_atheris.py decode -max_total_time=300
    .venv/bin/python bench/fuzz_atheris.py extract -max_total_time=300
    .venv/bin/python bench/fuzz_atheris.py query -max_total_time=300
    .venv/bin/python bench/fuzz_atheris.py store -max_total_time=300
    .venv/bin/python bench/fuzz_atheris.py html -max_total_time=300   # and pdf, docx, table (issue 14)

A crash writes its input to crash-*; add it to the matching hypothesis test as an @example.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from tibet_facts.store.decode import decode_document
    from tibet_facts.store.errors import DecodeError, StoreCorrupt, StoreTooNew
    from tibet_facts.store.extract.pipeline import extract_facts
    from tibet_facts.store.query import QueryError, parse
    from tibet_facts.store.readers import read_bytes, tables
    from tibet_facts.store.repository import FactStore

STORE = Path(tempfile.mkdtemp(prefix="tf-atheris-")) / "facts.json"


def decode(data: bytes) -> None:
    try:
        doc = decode_document(data, "fuzz.txt")
    except DecodeError:
        return
    assert "\x1b" not in doc.text and "\x00" not in doc.text


def extract(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(4096)
    for fact in extract_facts(text, doc_id="d", doc_name="fuzz.txt"):
        assert 0 <= fact.start < fact.end <= len(text)


def query(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(200)
    try:
        parse(text)
    except QueryError:
        pass


def store(data: bytes) -> None:
    STORE.write_bytes(data)
    STORE.with_name(STORE.name + ".index").unlink(missing_ok=True)
    try:
        FactStore.open(STORE)
    except (StoreCorrupt, StoreTooNew):
        pass
    assert STORE.read_bytes() == data, "opening never writes the store"


def _reader(kind: str) -> object:
    """A reader in this process (no sandbox, so a C crash is a finding): DecodeError or a text."""

    def target(data: bytes) -> None:
        try:
            read = read_bytes(data, kind, f"fuzz.{kind}")
        except DecodeError:
            return
        assert "\x1b" not in read.text and "\x00" not in read.text
        assert read.pages == sorted(read.pages) and all(0 <= p <= len(read.text) for p in read.pages)

    return target


def table(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    grid = [[fdp.ConsumeUnicodeNoSurrogates(12) for _ in range(fdp.ConsumeIntInRange(0, 5))]
            for _ in range(fdp.ConsumeIntInRange(0, 6))]
    for line in tables.table_lines(grid, fdp.ConsumeUnicodeNoSurrogates(40)):
        assert "\n" not in line


TARGETS = {"decode": decode, "extract": extract, "query": query, "store": store, "html": _reader("html"),
           "pdf": _reader("pdf"), "docx": _reader("docx"), "table": table}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: fuzz_atheris.py {{{','.join(TARGETS)}}} [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
