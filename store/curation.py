"""Curation: checking a user's corrections, and reading and writing them as a file to share.

The browser's edit dialog and the `correct`, `reject`, `restore` and `corrections` commands
all go through here, so a correction is checked the same way wherever it is made: a place must
be in the gazetteer, a period in the gold forms, a topic and a kind in their vocabularies.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.model import CORRECTABLE, KINDS, TOPICS, Correction
from tibet_facts.store.sanitize import safe_text

# 2025, 2025-08, 2021..2025, 2025-01..2025-08, as of 2025-08, unknown
_POINT = r"(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2]))?"
PERIOD_FORM = re.compile(rf"unknown|as of {_POINT}|{_POINT}(?:\.\.{_POINT})?")
FORMAT_VERSION = 1


class CorrectionError(TibetFactsError):
    """A correction names a place, period, topic or kind that does not exist."""

    exit_code = 2


def _closest(value: str, names: list[str]) -> str:
    near = difflib.get_close_matches(value, names, n=3, cutoff=0.5)
    return f" (closest: {', '.join(near)})" if near else ""


def check_region(value: str) -> str:
    """The official name of a place given by any of its names."""
    from tibet_facts.store.extract import gazetteer

    found = gazetteer.place(value)
    if found is None:
        names = [p.name for p in gazetteer.all_places()] + [p.name_en for p in gazetteer.all_places()]
        raise CorrectionError(f"unknown place {value!r}{_closest(value, names)}")
    return found.name


def check_period(value: str) -> str:
    if not PERIOD_FORM.fullmatch(value):
        raise CorrectionError(f"period {value!r}: wants 2025, 2025-08, 2021..2025, "
                              "2025-01..2025-08, 'as of 2025-08' or unknown")
    return value


def _in(vocabulary: tuple[str, ...], what: str) -> Any:
    def check(value: str) -> str:
        if value not in vocabulary:
            raise CorrectionError(f"unknown {what} {value!r}{_closest(value, list(vocabulary))}; "
                                  f"one of {', '.join(vocabulary)}")
        return value
    return check


_CHECKS = {"region": check_region, "period": check_period, "topic": _in(TOPICS, "topic"),
           "kind": _in(KINDS, "kind")}


def checked(changes: dict[str, Any]) -> dict[str, Any]:
    """Changes with every value checked and places given their official names; an empty value
    un-corrects its field."""
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name != "rejected" and name not in CORRECTABLE:
            raise CorrectionError(f"{name} cannot be corrected")
        if isinstance(value, str):
            value = safe_text(value.strip(), single_line=True)
        check = _CHECKS.get(name)
        out[name] = check(value) if check and value else value
    return out


def dump(corrections: dict[str, Correction]) -> str:
    """Every correction as a JSON document a team can share (sorted: diffs stay small)."""
    rows = [c.to_dict() for _, c in sorted(corrections.items())]
    return json.dumps({"format": "tibet-facts corrections", "version": FORMAT_VERSION,
                       "corrections": rows}, ensure_ascii=False, indent=1) + "\n"


def load(path: Path) -> list[Correction]:
    """Corrections from a file written by `dump`, each checked; one line naming the file
    on anything else."""
    shown = safe_text(str(path), single_line=True)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["corrections"] if isinstance(data, dict) else data
        return [_row(row) for row in rows]
    except OSError as exc:
        raise TibetFactsError(f"cannot read {shown}: {exc.strerror or exc}") from None
    except CorrectionError as exc:
        raise CorrectionError(f"{shown}: {exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise TibetFactsError(f"{shown} is not a corrections file ({type(exc).__name__})") from None


def _row(row: dict[str, Any]) -> Correction:
    fact_id = str(row["fact_id"])
    fields = {k: v for k, v in row.items() if k != "fact_id" and v is not None}
    return Correction(fact_id=fact_id).merged(checked(fields))
