"""Pilot tests of every browser interaction, against a small hand-made store."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tibet_facts.store.repository import FactStore
from tibet_facts.tui.app import FactsApp
from tibet_facts.tui.rows import RowList
from tibet_facts.tui.screens import CompareScreen, DocumentScreen, HelpScreen

PAGE_ROWS = 60


async def settle(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(app: FactsApp) -> str:
    return str(app.query_one("#status", Static).render())


def cells(app: FactsApp) -> list[str]:
    table = app.query_one("#facts", RowList)
    return [str(table.get_cell_at((r, 0))) for r in range(table.row_count)]


@pytest.fixture
def app(sample_store: FactStore) -> FactsApp:
    return FactsApp(sample_store.path, poll=0)


async def test_first_screen_lists_the_facts(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.query_one("#facts", RowList).row_count == 8
        assert status(app).startswith("8 facts")


async def test_filter_as_you_type_and_status_in_words(app: FactsApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        for key in "region:昌都市":
            await pilot.press(key)
        await settle(pilot)
        assert app.query_one("#facts", RowList).row_count == 2
        assert "region 昌都市 and below" in status(app)


async def test_bad_query_is_shown_not_raised(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#filter", Input).value = "year:20x"
        await settle(pilot)
        assert "year:" in status(app)


async def test_document_text_is_never_markup(app: FactsApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = cells(app)
        assert any("[TODO]" in c and "[@click=app.quit]" in c for c in shown)
        assert not any("\x1b" in c for c in shown)


async def test_sort_cycles_columns_on_raw_values(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert app.sort_by == "value"
        values = [r.fact.base_value for r in app.rows]
        assert values == sorted(values)
        await pilot.press("S")
        values = [r.fact.base_value for r in app.rows]
        assert values == sorted(values, reverse=True)


async def test_detail_pane_shows_source_and_fields(app: FactsApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = str(app.query_one("#detail", Static).render())
        assert "region path" in detail and "document" in detail


async def test_enter_opens_the_document_and_n_p_walk_its_facts(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        first = screen.index
        await pilot.press("n")
        assert screen.index == (first + 1) % len(screen.facts)
        await pilot.press("p")
        assert screen.index == first
        await pilot.press("escape")
        assert not isinstance(app.screen, DocumentScreen)


async def test_mark_and_compare_both_ways(app: FactsApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.query_one("#filter", Input).value = "metric:online_retail_sales"
        await settle(pilot)
        for _ in range(3):
            await pilot.press("space")
        assert len(app.marked) == 3
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.comparison is not None and len(screen.comparison.rows) >= 2
        await pilot.press("g")
        assert screen.by == "period"
        await pilot.press("b")
        assert screen.baseline is not None
        await pilot.press("escape")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)


async def test_export_dialog_writes_the_current_view(app: FactsApp, tmp_path: Path) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        target = tmp_path / "view.csv"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert target.exists()
        assert target.read_text(encoding="utf-8").count("\n") == 9  # header + 8 facts


async def test_copy_puts_a_citation_on_the_clipboard(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        assert app.clipboard and " — " in app.clipboard and "(" in app.clipboard


async def test_reject_hides_and_show_rejected_brings_back(app: FactsApp, sample_store: FactStore) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        target = app.current()
        assert target is not None
        await pilot.press("x")
        await settle(pilot)
        assert FactStore.open(sample_store.path).is_rejected(target.id)
        assert target.id not in {r.fact.id for r in app.rows}
        await pilot.press("R")
        await settle(pilot)
        assert target.id in {r.fact.id for r in app.rows}


async def test_edit_dialog_saves_a_correction(app: FactsApp, sample_store: FactStore) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = app.current()
        assert target is not None
        await pilot.press("E")
        await pilot.pause()
        app.screen.query_one("#edit-region", Input).value = "拉萨市"
        app.screen.query_one("#edit-region", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        correction = FactStore.open(sample_store.path).corrections[target.id]
        assert correction.region == "拉萨市"


async def test_help_is_generated_from_the_bindings(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        for binding in app.BINDINGS:
            assert binding.description in text  # type: ignore[union-attr]


async def test_facet_choice_adds_to_the_filter(app: FactsApp) -> None:
    from textual.widgets import Tree

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.query_one("#facets", Tree)
        topics = tree.root.children[0]
        leaf = topics.children[0]
        tree.select_node(leaf)
        await settle(pilot)
        assert str(leaf.data) in app.query_one("#filter", Input).value


async def test_store_changed_by_another_process_is_reloaded(app: FactsApp, sample_store: FactStore) -> None:
    from tibet_facts.store.model import Correction

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        FactStore.open(sample_store.path).set_correction(Correction(fact_id=app.rows[0].fact.id, rejected=True))
        app.check_store()
        await settle(pilot)
        assert app.query_one("#facts", RowList).row_count == 7


async def test_narrow_terminal_hides_facets(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.has_class("narrow")
        assert not app.query_one("#facets").display


async def test_a_failing_worker_is_reported_and_the_app_keeps_running(app: FactsApp,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def broken(*args: object) -> None:
            raise OSError(5, "Input/output error")

        assert app.store is not None
        monkeypatch.setattr(app.store, "correct", broken)
        await pilot.press("x")
        await settle(pilot)
        assert app.is_running
        assert app.worker_errors and "Input/output error" in app.worker_errors[0]
        assert any("Input/output error" in str(n.message) for n in app._notifications)


async def test_long_lists_are_added_a_page_at_a_time(tmp_path: Path) -> None:
    """The bundled corpus (~200 rows): the table starts with one page and grows as the cursor
    nears its end, until every row of the view is there."""
    from tibet_facts.store.ingest import open_store
    from tibet_facts.tui.app import PAGE

    store = open_store(tmp_path / "facts.json")
    app = FactsApp(store.path, poll=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one("#facts", RowList)
        assert len(app.rows) > PAGE and table.row_count == PAGE
        for _ in range(10):
            await pilot.press("ctrl+end")
            await pilot.pause()
        assert table.row_count == len(app.rows)
        assert table.cursor_row == len(app.rows) - 1


async def test_escape_leaves_the_filter_for_the_table(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.query_one("#filter", Input).has_focus
        await pilot.press("r", "e", "t", "a", "i", "l", "escape")
        assert app.query_one("#facts", RowList).has_focus
        assert app.query_one("#filter", Input).value == "retail"


@pytest.mark.parametrize(
    "text, offset, width, line",
    [
        ("abc", 1, 10, 0),
        ("第一段。\n第二段。", 6, 20, 1),
        ("一" * 30 + "\n数字", 31, 20, 3),  # 30 wide characters wrap to 3 lines of 10 at width 20
        ("一" * 25, 24, 20, 2),
    ],
)
def test_wrapped_line_counts_screen_lines(text: str, offset: int, width: int, line: int) -> None:
    from rich.console import Console

    from tibet_facts.tui.screens import wrapped_line

    assert wrapped_line(text, offset, width, Console()) == line


async def test_document_view_scrolls_the_fact_into_view(tmp_path: Path) -> None:
    """A fact deep in a long article: its line is on screen when the document opens."""
    from tibet_facts.store.ingest import open_store
    from tibet_facts.tui.screens import wrapped_line

    store = open_store(tmp_path / "facts.json")
    app = FactsApp(store.path, poll=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one("#facts", RowList)
        first_doc = app.rows[0].fact.doc_id
        last = max(i for i, r in enumerate(app.rows[:PAGE_ROWS]) if r.fact.doc_id == first_doc)
        table.move_cursor(row=last)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        fact = screen.facts[screen.index]
        scroll = screen.query_one("#doc-scroll")
        width = screen.query_one("#doc-text", Static).content_size.width
        line = wrapped_line(screen.doc.text, fact.start, width, app.console)
        assert line > 20, "the test wants a fact far down its document"
        assert scroll.scroll_offset.y <= line < scroll.scroll_offset.y + scroll.size.height


async def test_a_click_moves_the_cursor_and_a_double_click_opens_the_document(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#facts", offset=(5, 3))  # the header is line 0
        assert app.query_one("#facts", RowList).cursor_row == 2
        await pilot.click("#facts", offset=(5, 3), times=2)
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
