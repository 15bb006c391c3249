"""SVG snapshots of the main screens at 80x24 and 120x40 (cursor blink frozen, fixed store)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tibet_facts.store.repository import FactStore
from tibet_facts.tui.app import FactsApp

SIZES = [(80, 24), (120, 40)]


def _app(store: FactStore) -> FactsApp:
    return FactsApp(store.path, poll=0)


async def _ready(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for box in pilot.app.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_browse(snap_compare, sample_store: FactStore, size: tuple[int, int]) -> None:  # noqa: ANN001
    assert snap_compare(_app(sample_store), terminal_size=size, run_before=_ready)


@pytest.mark.parametrize("size", SIZES)
def test_compare(snap_compare, sample_store: FactStore, size: tuple[int, int]) -> None:  # noqa: ANN001
    async def before(pilot) -> None:  # noqa: ANN001
        await _ready(pilot)
        pilot.app.query_one("#filter", Input).value = "metric:online_retail_sales"
        await _ready(pilot)
        await pilot.press("m")
        await pilot.pause()

    assert snap_compare(_app(sample_store), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_compare_chart(snap_compare, sample_store: FactStore, size: tuple[int, int]) -> None:  # noqa: ANN001
    async def before(pilot) -> None:  # noqa: ANN001
        await _ready(pilot)
        pilot.app.query_one("#filter", Input).value = "metric:online_retail_sales"
        await _ready(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(_app(sample_store), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, sample_store: FactStore, size: tuple[int, int]) -> None:  # noqa: ANN001
    async def before(pilot) -> None:  # noqa: ANN001
        await _ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(_app(sample_store), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_document(snap_compare, sample_store: FactStore, size: tuple[int, int]) -> None:  # noqa: ANN001
    async def before(pilot) -> None:  # noqa: ANN001
        await _ready(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(_app(sample_store), terminal_size=size, run_before=before)


# U1: the browse screen at a small terminal, without colour, and in the 16 standard colours.
@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TEXTUAL_COLOR_SYSTEM": "standard"}], ids=["no_color", "standard16"])
def test_browse_colour_systems(snap_compare, sample_store: FactStore, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                               env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert snap_compare(_app(sample_store), terminal_size=(80, 24), run_before=_ready)


def test_browse_small_terminal(snap_compare, sample_store: FactStore) -> None:  # noqa: ANN001
    assert snap_compare(_app(sample_store), terminal_size=(60, 20), run_before=_ready)
