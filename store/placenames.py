"""Place names for lookups: every alias of a place, without loading the gazetteer each time.

A free word of a query may name a place (Nyingchi, Linzhi, 林芝, 林芝地区). Telling that needs
every alias of every place, and the gazetteer (store/extract/gazetteer.py) takes ~90 ms to
import and load: most of a cold `find`. So the names it knows are kept in a small cache file
(~/.cache/tibet-facts/place-names.json), stamped with the gazetteer file's size and mtime and
made again from the gazetteer's public API when that file changes. A cache that cannot be
read or written costs one slow look-up, never a failure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_VERSION = 2
_GAZETTEER = Path(__file__).parent / "extract" / "data" / "gazetteer.json"
# Levels whose names are ordinary words in English (World, Asia, Laos) or references (该市).
_NOT_NAMES = frozenset({"world", "continent", "country", "area", "none", "self_city",
                        "self_county", "self_village"})
# References to the region that the gazetteer lists as its aliases: they name no place in a query.
_DEICTIC = frozenset({"全区", "我区", "区内", "自治区", "全藏"})


@dataclass(frozen=True, slots=True)
class PlaceNames:
    """A place's official name, its stem (the short name its other names are searched by) and
    every name, lower-cased."""

    name: str
    stem: str
    names: tuple[str, ...]


# The cache's shape: {official name: [stem, every name lower-cased]} and
# {name or alias, lower-cased: official name}.
Names = dict[str, list[str]]
Aliases = dict[str, str]


def stem_of(name: str, aliases: tuple[str, ...]) -> str:
    """The shortest Chinese alias the official name starts with (林芝 of 林芝市), at least two
    characters: text that names the place in any Chinese form holds it, and so does the path of
    every place under it."""
    starts = [a for a in aliases if len(a) >= 2 and not a.isascii() and name.startswith(a)]
    return min(starts, key=len, default=name)


def _from_gazetteer() -> tuple[Names, Aliases]:
    from tibet_facts.store.extract import gazetteer

    names: Names = {}
    for p in gazetteer.all_places():
        if p.level in _NOT_NAMES or p.name in names:
            continue
        every = (n.lower() for n in (p.name, p.name_en, *p.aliases) if n and n not in _DEICTIC)
        names[p.name] = [stem_of(p.name, p.aliases), *dict.fromkeys(every)]
    # An official name names its place before any alias of another; else the gazetteer's first
    # claimant, as its place() does.
    aliases: Aliases = {name.lower(): name for name in names}
    for name, row in names.items():
        for alias in row[1:]:
            aliases.setdefault(alias, name)
    return names, aliases


def _stamp() -> list[int] | None:
    try:
        st = _GAZETTEER.stat()
    except OSError:
        return None
    return [_VERSION, st.st_size, st.st_mtime_ns]


def _cache_file() -> Path:
    from tibet_facts.store.db.paths import cache_dir

    return cache_dir() / "place-names.json"


def _read_cache(path: Path, stamp: list[int]) -> tuple[Names, Aliases] | None:
    import orjson

    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp:
        return None
    names, aliases = data.get("names"), data.get("aliases")
    return (names, aliases) if isinstance(names, dict) and isinstance(aliases, dict) else None


def _write_cache(path: Path, stamp: list[int], names: Names, aliases: Aliases) -> None:
    """Best effort, atomic (a reader never sees half a file): a read-only home only costs time."""
    import orjson

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(orjson.dumps({"stamp": stamp, "names": names, "aliases": aliases}))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


@cache
def _index() -> tuple[Names, Aliases]:
    """The names, from the cache when it was made from the gazetteer file as it is now."""
    stamp = _stamp()
    path = _cache_file()
    found = _read_cache(path, stamp) if stamp else None
    if found is None:
        found = _from_gazetteer()
        if stamp:
            _write_cache(path, stamp, *found)
    return found


def _entry(name: str) -> PlaceNames | None:
    row = _index()[0].get(name)
    return PlaceNames(name, row[0], tuple(row[1:])) if row else None


def named_by(word: str) -> PlaceNames | None:
    """The place a word names by any of its names (case does not matter), or None."""
    name = _index()[1].get(word.strip().lower())
    return _entry(name) if name else None


def aliases(name: str) -> tuple[str, ...]:
    """Every name of the place of this official name, lower-cased (the name alone if unknown)."""
    found = _entry(name)
    return found.names if found else (name.lower(),)


def forget() -> None:
    """Drop the loaded names (tests, or after the gazetteer changed in this process)."""
    _index.cache_clear()
