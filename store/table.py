"""The facts as columns: the store's fast read path for lookups and the browser.

A store's canonical form is its TinyDB JSON file, one row of ~600 bytes per fact: parsing
100,000 rows and building records takes over a second and ~500 MB. A FactTable holds the same
facts as columns, most of them dictionary-encoded (each distinct value once, one small int per
fact). It loads from the store's index file (store/db/index.py) in about a tenth of a second, a
field clause tests each distinct value once instead of each fact, free words are found with one
`str.find` over the joined quotes, and Fact records are built only for the rows shown.

Corrections are an overlay: corrected and rejected rows are set apart and tested as corrected
Fact records (there are few), so the extracted columns themselves never change.
"""

from __future__ import annotations

import itertools
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from typing import Any

from tibet_facts.store.model import Correction, Fact
from tibet_facts.store.query import Clause, Query, place_words

# Fields with few distinct values (documents, units, metrics, places, periods, labels).
ENCODED = ("doc_id", "doc", "unit", "base_unit", "metric_zh", "metric_en", "metric_id", "region", "region_en",
           "region_path", "period", "topic", "kind", "qualifier")
# Fields that differ for nearly every fact.
PLAIN = ("id", "start", "end", "quote", "value", "base_value", "quote_start", "sentence_start",
         "sentence_end", "page")
_PLAIN_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "quote": (str,), "value": (int, float), "base_value": (int, float),
    "start": (int,), "end": (int,), "quote_start": (int,), "sentence_start": (int,), "sentence_end": (int,),
    "page": (int,),
}
# Free words are searched in these encoded fields (their distinct values) and in the quotes.
WORD_FIELDS = ("metric_zh", "metric_en", "region", "region_en", "region_path")
_SEP = "\0"  # joins the lower-cased quotes; query words never contain it (store/query.py)


_FIELD_ORDER = tuple(f.name for f in fields(Fact))  # Fact's positional order
_REQUIRED = frozenset(f.name for f in fields(Fact) if f.default is MISSING and f.default_factory is MISSING)


@cache
def _defaults() -> dict[str, Any]:
    return {f.name: f.default for f in fields(Fact) if f.default is not MISSING}


class PackedStrings(Sequence[str]):
    """A column of strings kept as one UTF-8 buffer and the byte offsets of its values (n + 1):
    read from an index without decoding 100,000 strings; each is decoded when asked for (a
    lookup shows a few thousand at most). Never raises on bad offsets or bytes: an index is a
    cache that may be damaged, so those decode with replacement characters instead."""

    __slots__ = ("data", "offsets")

    def __init__(self, data: bytes | memoryview, offsets: array) -> None:  # type: ignore[type-arg]
        self.data, self.offsets = data, offsets

    @classmethod
    def of(cls, values: Iterable[str]) -> PackedStrings:
        encoded = [v.encode("utf-8", "surrogatepass") for v in values]
        offsets = array("q", itertools.accumulate(map(len, encoded), initial=0))
        return cls(b"".join(encoded), offsets)

    def __len__(self) -> int:
        return max(len(self.offsets) - 1, 0)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return bytes(self.data[self.offsets[i]:self.offsets[i + 1]]).decode("utf-8", "replace")

    def __iter__(self) -> Iterator[str]:
        return map(self.__getitem__, range(len(self)))

    def pick(self, rows: Sequence[int]) -> list[str]:
        """The strings of these rows (valid row numbers), without a method call each."""
        data, offsets = self.data, self.offsets
        return [str(data[offsets[i]:offsets[i + 1]], "utf-8", "replace") for i in rows]


class TableError(ValueError):
    """An index's table is not one this version wrote (the store is then read the slow way)."""


@dataclass(slots=True)
class FactTable:
    """Every fact of a store, column by column, in (document, position) order."""

    n: int
    plain: dict[str, list[Any]]
    codes: dict[str, Sequence[int]]  # arrays (code_array); lists in a table being built
    vocab: dict[str, list[Any]]
    overlay: dict[int, Fact] = field(default_factory=dict)  # row -> the corrected fact
    rejected: set[int] = field(default_factory=set)
    _keys: dict[tuple[str, ...], tuple[Sequence[int], list[tuple[Any, ...]]]] = field(default_factory=dict)
    _quotes: tuple[str, Sequence[int]] | None = None
    _rows_of: dict[str, int] | None = None
    _ranks: dict[str, list[int]] = field(default_factory=dict)  # field -> each row's place in its order
    _orders: dict[str, list[int]] = field(default_factory=dict)  # field -> the rows in its order
    _ascending: dict[str, list[Any]] = field(default_factory=dict)  # numeric field -> its values, sorted

    # --- building and (de)serializing -------------------------------------------------

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]]) -> FactTable:
        """Columns from stored fact rows, read as Fact.from_dict would (defaults for missing
        fields, unknown ones dropped) without building 100,000 records on the way."""
        defaults = _defaults()
        checked = []
        for row in rows:
            if not isinstance(row, dict) or not _REQUIRED <= row.keys():
                Fact.from_dict(row if isinstance(row, dict) else {})  # raises the TypeError it would
            checked.append(row)
        checked.sort(key=lambda r: (r["doc"], r["start"]))
        plain = {name: [r.get(name, defaults.get(name)) for r in checked] for name in PLAIN}
        codes: dict[str, Sequence[int]] = {}
        vocab: dict[str, list[Any]] = {}
        for name in ENCODED:
            seen: dict[Any, int] = {}
            default = defaults.get(name)
            if name == "region_path":
                col = [seen.setdefault(tuple(r.get(name) or ()), len(seen)) for r in checked]
                vocab[name] = [list(v) for v in seen]
            else:
                col = [seen.setdefault(r.get(name, default), len(seen)) for r in checked]
                vocab[name] = list(seen)
            codes[name] = code_array(col, len(vocab[name]))
        return cls(len(checked), plain, codes, vocab)

    @classmethod
    def merged(cls, *tables: FactTable) -> FactTable:
        """The rows of all these tables in (document, position) order, as `from_rows` of their
        rows one table after another would give: an ingest's new facts joining the loaded table
        without a re-read of the store, a store read a batch of rows at a time. Corrections are
        not carried: the caller applies them to the result."""
        n = sum(t.n for t in tables)
        codes: dict[str, list[int]] = {name: [] for name in ENCODED}
        vocab: dict[str, list[Any]] = {name: [] for name in ENCODED}
        for name in ENCODED:
            values = vocab[name]
            where: dict[Any, int] = {}
            for table in tables:
                remap = [where.setdefault(_key_of(v), len(where)) for v in table.vocab[name]]
                values += [v for v, c in zip(table.vocab[name], remap, strict=True) if c >= len(values)]
                codes[name] += map(remap.__getitem__, table.codes[name])
        plain: dict[str, list[Any]] = {name: [v for t in tables for v in t.plain[name]] for name in PLAIN}
        docs, doc_codes, starts = vocab["doc"], codes["doc"], plain["start"]
        order = sorted(range(n), key=lambda i: (docs[doc_codes[i]], starts[i]))
        if order != list(range(n)):
            plain = {name: list(map(col.__getitem__, order)) for name, col in plain.items()}
            codes = {name: list(map(col.__getitem__, order)) for name, col in codes.items()}
        return cls(n, plain, {name: code_array(col, len(vocab[name])) for name, col in codes.items()}, vocab)

    def columns(self) -> dict[str, Any]:
        """The table's data as `from_json` takes it, the columns as they are held (arrays too)."""
        joined, starts = self._joined_quotes()  # saved: lower-casing 100,000 quotes takes ~80 ms
        return {"n": self.n, "plain": self.plain, "codes": self.codes, "vocab": self.vocab,
                "quotes": {"text": joined, "starts": starts}}

    def to_json(self) -> dict[str, Any]:
        """`columns()` in JSON's types (lists)."""
        data = self.columns()

        def plain_list(col: Any) -> Any:
            return col if isinstance(col, list) else list(col)

        return {**data, "plain": {k: plain_list(v) for k, v in data["plain"].items()},
                "codes": {k: plain_list(v) for k, v in data["codes"].items()},
                "quotes": {k: plain_list(v) if k == "starts" else v for k, v in data["quotes"].items()}}

    @classmethod
    def from_json(cls, data: Any) -> FactTable:
        """A table from an index file, checked enough that no lookup can fail on it later."""
        try:
            n, plain, codes, vocab = data["n"], data["plain"], data["codes"], data["vocab"]
            for name in PLAIN:
                col = plain[name]
                if len(col) != n or not _typed(col, _PLAIN_TYPES[name]):
                    raise TableError(f"column {name}")
            for name in ENCODED:
                col, values = codes[name], vocab[name]
                if len(col) != n or not _typed(col, (int,)) or (col and not _within(col, len(values))):
                    raise TableError(f"column {name}")
                want = list if name == "region_path" else (str,)
                if name == "region_path":
                    ok = all(isinstance(v, list) and all(isinstance(p, str) for p in v) for v in values)
                else:
                    ok = all(isinstance(v, want) for v in values)
                if not ok:
                    raise TableError(f"values of {name}")
        except (KeyError, TypeError) as exc:
            raise TableError(f"bad table ({exc})") from None
        table = cls(n, {k: plain[k] for k in PLAIN}, {k: codes[k] for k in ENCODED}, {k: vocab[k] for k in ENCODED})
        quotes = data.get("quotes")
        if isinstance(quotes, dict):
            text, starts = quotes.get("text"), quotes.get("starts")
            if (isinstance(text, str) and isinstance(starts, list | array) and len(starts) == n
                    and _typed(starts, (int,)) and (not starts or (starts[0] == 0 and starts[-1] <= len(text)))
                    and text.count(_SEP) == max(n - 1, 0)):
                table._quotes = (text, starts)
        return table

    # --- single facts -------------------------------------------------------------------

    def raw(self, i: int) -> Fact:
        """The fact of row i as extracted."""
        data: dict[str, Any] = {name: col[i] for name, col in self.plain.items()}
        for name in ENCODED:
            value = self.vocab[name][self.codes[name][i]]
            data[name] = list(value) if name == "region_path" else value
        return Fact(**data)

    def fact(self, i: int) -> Fact:
        """The fact of row i as the user sees it (corrections applied)."""
        return self.overlay.get(i) or self.raw(i)

    def facts(self, rows: Iterable[int]) -> list[Fact]:
        """The facts of these rows, corrections applied: built column by column (each column
        picked for the rows in one pass, the records made by one C-level `map`)."""
        rows = list(rows)
        columns: list[Any] = []
        for name in _FIELD_ORDER:
            column = self.plain.get(name)
            if isinstance(column, PackedStrings):
                columns.append(column.pick(rows))
            elif column is not None:
                columns.append(list(map(column.__getitem__, rows)))
            else:
                values = self.vocab[name]
                picked = map(values.__getitem__, map(self.codes[name].__getitem__, rows))
                columns.append(list(map(list, picked)) if name == "region_path" else list(picked))
        built = list(map(Fact, *columns))
        if self.overlay:
            built = [self.overlay.get(i, f) for i, f in zip(rows, built, strict=True)]
        return built

    def row_of(self, fact_id: str) -> int | None:
        if self._rows_of is None:
            self._rows_of = {fid: i for i, fid in enumerate(self.plain["id"])}
        return self._rows_of.get(fact_id)

    def rows_with_prefix(self, prefix: str) -> list[int]:
        return [i for i, fid in enumerate(self.plain["id"]) if fid.startswith(prefix)]

    def doc_rows(self, doc_id: str) -> list[int]:
        """The rows of one document, in the order they appear in it."""
        codes = self.vocab["doc_id"]
        if doc_id not in codes:
            return []
        code = codes.index(doc_id)
        return [i for i, c in enumerate(self.codes["doc_id"]) if c == code]

    # --- corrections --------------------------------------------------------------------

    def apply_corrections(self, corrections: dict[str, Correction]) -> None:
        """Set corrected and rejected rows apart (the columns keep the extracted values)."""
        self.overlay, self.rejected = {}, set()
        for fact_id, corr in corrections.items():
            i = self.row_of(fact_id)
            if i is None:
                continue
            self.overlay[i] = corr.apply(self.raw(i))
            if corr.rejected:
                self.rejected.add(i)

    # --- selection ----------------------------------------------------------------------

    def select(self, query: Query, *, include_rejected: bool = False) -> Sequence[int]:
        """Rows matching every clause, in table order; rejected rows only when asked.

        Each clause gives a byte mask over all rows (built by C-level `map` over the codes),
        masks are ANDed as big integers, and only the result becomes a list of row numbers.
        """
        mask: bytearray | None = None  # None: every row so far
        for clause in query.clauses:
            part = self._mask(clause)
            if part is None:
                continue
            mask = part if mask is None else _and(mask, part)
            if not any(mask):
                mask = bytearray(self.n)
                break
        if self.overlay:  # corrected rows are tested below as the user corrected them
            if mask is None:
                mask = bytearray(b"\1") * self.n
            for i in self.overlay:
                mask[i] = 0
        # An array, not a list: the garbage collector does not walk 100,000 ints on each pass.
        rows = array("l", range(self.n)) if mask is None else array("l", itertools.compress(range(self.n), mask))
        if not self.overlay:
            return rows
        extra = [i for i, f in self.overlay.items()
                 if (include_rejected or i not in self.rejected) and query.matches(f)]
        return array("l", sorted([*rows, *extra])) if extra else rows

    def _mask(self, clause: Clause) -> bytearray | None:
        """1 for each row the clause holds for (None when it holds for every row)."""
        if clause.word:
            return self.word_mask(clause.word)
        if clause.parts:
            mask: bytearray | None = bytearray(self.n)
            for part in clause.parts:
                one = self._mask(Clause((part[0],), part[1], ""))
                if one is None:
                    return None
                mask = _or(mask, one) if mask is not None else one
            return mask
        if clause.bound is not None and clause.fields[0] in self.plain:
            return self._bound_mask(clause.fields[0], *clause.bound)
        if len(clause.fields) == 1 and clause.fields[0] in self.plain:
            return bytearray(map(bool, map(clause.test, self.plain[clause.fields[0]])))
        keys, values = self._key(clause.fields)
        ok = [bool(clause.test(*v)) for v in values]
        if all(ok):
            return None
        if not any(ok):
            return bytearray(self.n)
        return flag_mask(ok, keys)

    def _bound_mask(self, name: str, op: str, number: float) -> bytearray:
        """A comparison on a numeric column through its sorted order: bisect, then mark the
        rows on the short side of the cut (at most half of them) in one pass."""
        ranked = self._sorted(name)
        lo, hi = bisect_left(ranked, number), bisect_right(ranked, number)
        order = self.order(name)
        if op in (">", ">="):
            return self._slice_mask(order, hi if op == ">" else lo, self.n)
        if op in ("<", "<="):
            return self._slice_mask(order, 0, lo if op == "<" else hi)
        equal = self._slice_mask(order, lo, hi)
        if op == "=":
            return equal
        return bytearray(equal.translate(bytes.maketrans(b"\0\1", b"\1\0")))  # "!="

    def _slice_mask(self, order: list[int], start: int, end: int) -> bytearray:
        """1 for the rows order[start:end]."""
        if end - start <= self.n // 2:
            mask = bytearray(self.n)
            for i in order[start:end]:
                mask[i] = 1
            return mask
        mask = bytearray(b"\1") * self.n
        for i in order[:start]:
            mask[i] = 0
        for i in order[end:]:
            mask[i] = 0
        return mask

    def _sorted(self, name: str) -> list[Any]:
        """A numeric column's values in ascending order."""
        ranked = self._ascending.get(name)
        if ranked is None:
            values = self.plain[name]
            ranked = self._ascending[name] = [values[i] for i in self.order(name)]
        return ranked

    def _key(self, fields: tuple[str, ...]) -> tuple[Sequence[int], list[tuple[Any, ...]]]:
        """Per row, a code for the combination of these encoded fields; and the combinations."""
        cached = self._keys.get(fields)
        if cached is None:
            if len(fields) == 1:
                values = [(v,) for v in self.vocab[fields[0]]]
                cached = (self.codes[fields[0]], values)
            else:
                seen: dict[tuple[int, ...], int] = {}
                combos = [seen.setdefault(k, len(seen)) for k in zip(*(self.codes[f] for f in fields), strict=True)]
                keys = code_array(combos, len(seen))
                values = [tuple(self.vocab[f][c] for f, c in zip(fields, combo, strict=True)) for combo in seen]
                cached = (keys, values)
            self._keys[fields] = cached
        return cached

    def prepare(self) -> None:
        """Build the search text and the orders ahead of the first keystroke (in a worker)."""
        self._joined_quotes()
        for region in self.vocab["region"]:
            place_words(region)  # loads the gazetteer and caches each place's aliases
        self._key(("region", "region_path"))
        for name in ("base_value", "region", "period"):
            self.rank(name)
        self._sorted("base_value")

    def word_mask(self, word: str) -> bytearray:
        """1 for each row whose metric, place (with aliases) or quote contains the word."""
        mask = bytearray(self.n)
        for name in WORD_FIELDS:
            values = self.vocab[name]
            if name == "region_path":
                hits = [word in " ".join(v).lower() for v in values]
            elif name == "region":
                hits = [word in v.lower() or word in place_words(v) for v in values]
            else:
                hits = [word in v.lower() for v in values]
            if any(hits):
                mask = _or(mask, flag_mask(hits, self.codes[name]))
        joined, starts = self._joined_quotes()
        at = joined.find(word)
        while at >= 0:
            row = bisect_right(starts, at) - 1
            mask[row] = 1
            at = joined.find(word, starts[row + 1] if row + 1 < len(starts) else len(joined))
        return mask

    def _joined_quotes(self) -> tuple[str, Sequence[int]]:
        if self._quotes is None:
            lowered = [q.lower().replace(_SEP, " ") for q in self.plain["quote"]]
            starts = list(itertools.accumulate((len(q) + 1 for q in lowered[:-1]), initial=0)) if lowered else []
            self._quotes = (_SEP.join(lowered), starts)
        return self._quotes

    # --- ordering and counting ----------------------------------------------------------

    def rank(self, name: str) -> list[int]:
        """Per row, its position in the order of one field (ties in table order)."""
        ranks = self._ranks.get(name)
        if ranks is None:
            ranks = [0] * self.n
            for r, i in enumerate(self.order(name)):
                ranks[i] = r
            self._ranks[name] = ranks
        return ranks

    def order(self, name: str) -> list[int]:
        """The rows sorted by one field, stably (ties keep table order); built once per field."""
        order = self._orders.get(name)
        if order is None:
            if name in self.plain:
                order = sorted(range(self.n), key=self.plain[name].__getitem__)
            else:
                values = self.vocab[name]
                by_value = sorted(range(len(values)), key=lambda c: str(values[c]))
                code_rank = [0] * len(values)
                for r, c in enumerate(by_value):
                    code_rank[c] = r
                order = sorted(range(self.n), key=list(map(code_rank.__getitem__, self.codes[name])).__getitem__)
            self._orders[name] = order
        return order

    def count(self, name: str, rows: Sequence[int]) -> Counter[Any]:
        """How many of these rows have each value of an encoded field (lists as tuples)."""
        overlay = self.overlay
        plain_rows = [i for i in rows if i not in overlay] if overlay else rows
        counts = Counter(map(self.codes[name].__getitem__, plain_rows))
        values = self.vocab[name]
        out: Counter[Any] = Counter()
        for c, w in counts.items():
            v = values[c]
            out[tuple(v) if isinstance(v, list) else v] += w
        if overlay:
            for i in rows:
                if i in overlay:
                    v = getattr(overlay[i], name)
                    out[tuple(v) if isinstance(v, list) else v] += 1
        return out

    def count_pairs(self, fields: tuple[str, ...], rows: Sequence[int]) -> Counter[tuple[Any, ...]]:
        """How many of these rows have each combination of values of some encoded fields."""
        keys, values = self._key(fields)
        overlay = self.overlay
        plain_rows = [i for i in rows if i not in overlay] if overlay else rows
        out: Counter[tuple[Any, ...]] = Counter()
        for k, w in Counter(map(keys.__getitem__, plain_rows)).items():
            out[_hashable(values[k])] += w
        if overlay:
            for i in rows:
                if i in overlay:
                    out[_hashable(tuple(getattr(overlay[i], f) for f in fields))] += 1
        return out


# Array type codes whose values are of these Python types (an index keeps numeric columns as arrays).
_ARRAY_TYPES = {int: "bBhHiIlLqQ", float: "d"}


def _typed(col: Sequence[Any], types: tuple[type, ...]) -> bool:
    """Every value of a column (a list, or an array from an index) is of one of these types."""
    if isinstance(col, PackedStrings):
        return str in types
    if isinstance(col, array):
        return any(col.typecode in _ARRAY_TYPES.get(t, "") for t in types)
    return set(map(type, col)) <= set(types)


def _within(col: Sequence[int], size: int) -> bool:
    """Every code indexes a value: 0 <= code < size."""
    if isinstance(col, array) and col.typecode == "B":  # one C pass: codes >= size map to 1
        return b"\1" not in bytes(col).translate(bytes(int(c >= size) for c in range(256)))
    return 0 <= min(col) and max(col) < size


def _and(a: bytearray, b: bytearray) -> bytearray:
    """Row masks of 0/1 bytes ANDed as big integers (one C operation, not a loop)."""
    n = len(a)
    return bytearray((int.from_bytes(a, "little") & int.from_bytes(b, "little")).to_bytes(n, "little"))


def _or(a: bytearray, b: bytearray) -> bytearray:
    n = len(a)
    return bytearray((int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(n, "little"))


def code_array(codes: Iterable[int], values: int) -> array:  # type: ignore[type-arg]
    """Dictionary codes as the smallest array that holds them: one byte each for a field of at
    most 256 values (most of them), so that a mask over them is one `bytes.translate`."""
    return array("B" if values <= 1 << 8 else "H" if values <= 1 << 16 else "l", codes)


def flag_mask(flags: Sequence[bool], codes: Sequence[int]) -> bytearray:
    """1 for each row whose code's flag is true: one C pass (`translate`) over byte codes."""
    if isinstance(codes, array) and codes.typecode == "B":
        return bytearray(bytes(codes).translate(bytes(map(bool, flags)).ljust(256, b"\0")))
    return bytearray(map(bool, map(flags.__getitem__, codes)))


def _key_of(value: Any) -> Any:
    """A vocabulary value as a dict key (region paths are lists)."""
    return tuple(value) if isinstance(value, list) else value


def _hashable(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(tuple(v) if isinstance(v, list) else v for v in values)
