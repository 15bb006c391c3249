"""Third-party number/unit suites (Recognizers-Text, quantulum3, cn2an in ../shared/peer) run in-process.

The scoring rule is the one of ../shared/tools/score_peer.py: an in-scope expected item is found when a
quantity overlaps its span (when the suite gives one) and its base_value or value equals the expected
value (relative 1e-6), with a percent or currency base unit for those families. A case passes when all
its in-scope items are found. Chinese (zh files and cn2an) and English must each pass at least 85 %.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from tibet_facts.store.extract.quantities import Quantity, parse_quantities

PEER = Path(__file__).resolve().parents[1].parent / "shared" / "peer"
MONEY = {"CNY", "USD", "EUR", "GBP", "JPY", "HKD", "money", "currency"}
BAR = 0.85


def _close(a: object, b: object) -> bool:
    try:
        x, y = float(a), float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return x == y or abs(x - y) <= 1e-6 * max(abs(x), abs(y))


def _family_ok(item: dict[str, object], q: Quantity) -> bool:
    if item.get("family") == "percent":
        return q.base_unit in {"percent", "percentage_point", "%"}
    if item.get("family") == "currency":
        return q.base_unit in MONEY or len(q.base_unit) == 3 and q.base_unit.isupper()
    return True


def _found(item: dict[str, object], quantities: list[Quantity]) -> bool:
    for q in quantities:
        if "start" in item and "end" in item and not (q.start < item["end"] and item["start"] < q.end):  # type: ignore[operator]
            continue
        if (_close(q.base_value, item["value"]) or _close(q.value, item["value"])) and _family_ok(item, q):
            return True
    return False


def _cases() -> list[tuple[str, str, list[dict[str, object]]]]:
    cases = []
    for path in sorted(PEER.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            items = [i for i in case.get("expected") or [] if not i.get("skip")
                     and isinstance(i.get("value"), (int, float))]
            if not case.get("skip") and items:
                cases.append((path.name, case["input"].replace("\r", " ").replace("\n", " "), items))
    return cases


@pytest.fixture(scope="module")
def rates() -> dict[str, float]:
    if not PEER.is_dir():
        pytest.skip("../shared/peer is not beside this checkout")
    per_file: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, text, items in _cases():
        found = parse_quantities(text)
        per_file[name][0] += all(_found(item, found) for item in items)
        per_file[name][1] += 1
    zh = [v for k, v in per_file.items() if "-zh-" in k or k.startswith("cn2an")]
    en = [v for k, v in per_file.items() if not ("-zh-" in k or k.startswith("cn2an"))]
    result = {
        "zh": sum(ok for ok, _ in zh) / max(1, sum(t for _, t in zh)),
        "en": sum(ok for ok, _ in en) / max(1, sum(t for _, t in en)),
        "all": sum(ok for ok, _ in per_file.values()) / max(1, sum(t for _, t in per_file.values())),
    }
    for name, (ok, total) in sorted(per_file.items()):
        print(f"  {name:36} {ok:4}/{total:<4} {ok / total:.3f}")
    print("peer suites: " + ", ".join(f"{k} {v:.3f}" for k, v in result.items()))
    return result


@pytest.mark.parametrize("language", ["zh", "en"])
def test_peer_suites_meet_the_bar(rates: dict[str, float], language: str) -> None:
    assert rates[language] >= BAR, f"{language} {rates[language]:.3f} < {BAR}"


def test_negative_and_robustness_cases_never_raise() -> None:
    """Cases upstream expects nothing from (or only no crash) must still parse without raising."""
    if not PEER.is_dir():
        pytest.skip("../shared/peer is not beside this checkout")
    for path in sorted(PEER.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if not case.get("expected"):
                assert isinstance(parse_quantities(case["input"]), list)
