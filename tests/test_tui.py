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


async def type_filter(pilot, text: str) -> None:  # noqa: ANN001
    """Slash to the filter, then the text a key at a time, as a user types it."""
    await pilot.press("slash")
    for key in text:
        await pilot.press(key)
    await settle(pilot)


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
        await type_filter(pilot, "region:昌都市")
        assert app.query_one("#facts", RowList).row_count == 2
        assert "region 昌都市 and below" in status(app)


@pytest.mark.parametrize("sync_rows", [0, 10**6], ids=["worker", "inline"])
async def test_a_filter_in_a_worker_and_inline_show_the_same_rows(app: FactsApp, sync_rows: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A large store filters in a thread worker, a smaller one on the UI thread: typing gives
    the same table, status and detail either way."""
    from tibet_facts.store.query import parse
    from tibet_facts.tui import browse
    from tibet_facts.tui.view import build_view

    monkeypatch.setattr(browse, "FILTER_SYNC_ROWS", sync_rows)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_filter(pilot, "region:昌都市")
        assert app.store is not None
        expected = build_view("region:昌都市", parse("region:昌都市"), app.store.table, app.gids)
        assert [row.fact.id for row in app.rows] == [row.fact.id for row in expected.rows]
        assert len(cells(app)) == 2 and all("昌都" in c or "芒康" in c for c in cells(app))
        assert "region 昌都市 and below" in status(app)
        await pilot.press(*["backspace"] * len("region:昌都市"))
        await settle(pilot)
        assert len(cells(app)) == 8 and status(app).startswith("8 facts")


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
        from tibet_facts.tui.browse import BrowseScreen

        for screen in (BrowseScreen, CompareScreen, DocumentScreen):
            for binding in screen.BINDINGS:
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


# --- issue 13: comparisons an analyst can trust; the browse screen's own keys -------------------

@pytest.fixture
def cmp_app(store_path: Path) -> FactsApp:
    """The sample store plus the change of Tibet's online retail sales (50.5亿元 in 2025)."""
    from dataclasses import replace

    from tests.conftest import sample_documents

    docs, facts = sample_documents()
    change = replace(facts[0], id="change0000001", start=facts[0].start + 1, value=50.5, base_value=5.05e9,
                     kind="change", quote="同比增长50.5亿元")
    store = FactStore.open(store_path)
    store.add(docs, [*facts, change])
    return FactsApp(store.path, poll=0)


async def _filtered(pilot, text: str) -> None:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("slash", *text, "enter")
    await settle(pilot)


def _screen_lines(screen: CompareScreen) -> list[str]:
    table = screen.query_one("#cmp-table", RowList)
    return [table._header.plain] + [table.get_cell_at((r, 0)).plain for r in range(table.row_count)]


async def test_compare_by_period_is_in_time_order_and_changes_forward(cmp_app: FactsApp) -> None:
    async with cmp_app.run_test(size=(120, 40)) as pilot:
        await _filtered(pilot, "metric:online_retail_sales region:西藏自治区")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("g")
        screen = cmp_app.screen
        assert isinstance(screen, CompareScreen) and screen.comparison is not None
        levels = [r for r in screen.comparison.main_rows if r.place == "西藏自治区"]
        assert [r.period for r in levels] == ["2024", "2025"]
        assert round(levels[1].change_abs or 0, 1) == 50.5 and round(levels[1].change_rel or 0, 3) == 0.22
        assert any("+50.5 (+22.0%)" in line for line in _screen_lines(screen))


async def test_a_marked_level_and_its_change_are_rows_of_their_own_labelled(cmp_app: FactsApp) -> None:
    async with cmp_app.run_test(size=(120, 40)) as pilot:
        await _filtered(pilot, "metric:online_retail_sales year:2025 region:西藏自治区")
        await pilot.press("space", "space")
        assert len(cmp_app.marked) == 2
        await pilot.press("c")
        await pilot.pause()
        screen = cmp_app.screen
        assert isinstance(screen, CompareScreen) and screen.comparison is not None
        rows = {(r.kind, r.value) for r in screen.comparison.rows}
        assert rows == {("level", 280.2), ("change", 50.5)}
        assert not any("conflict" in n for n in screen.comparison.notes)
        lines = _screen_lines(screen)
        assert "kind" in lines[0] and any(" change " in line for line in lines[1:])


async def test_the_comparison_header_lines_up_with_its_values(app: FactsApp) -> None:
    from rich.cells import cell_len

    async with app.run_test(size=(80, 24)) as pilot:
        await _filtered(pilot, "metric:online_retail_sales")
        await pilot.press("m")
        await pilot.pause()
        header, *rows = _screen_lines(app.screen)  # type: ignore[arg-type]
        at = cell_len(header[:header.index("kind")])
        assert all(cell_len(row[:row.index("level")]) == at for row in rows)
        end = cell_len(header[:header.index("2025") + 4])
        assert all(cell_len(row[:row.rindex("]") + 1]) == end for row in rows if "]" in row)


async def test_end_moves_the_cursor_so_b_takes_the_last_row(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _filtered(pilot, "metric:online_retail_sales")
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.comparison is not None
        await pilot.press("end", "b")
        assert screen.baseline == screen.comparison.rows[-1].place == "芒康县"
        await pilot.press("home", "b")
        assert screen.baseline == "西藏自治区"
        ratios = [r.ratio for r in screen.comparison.rows]
        assert ratios[0] == 1.0 and all(r is not None and r < 1 for r in ratios[1:])


async def test_home_and_end_in_the_fact_table(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one("#facts", RowList)
        await pilot.press("end")
        assert table.cursor_row == len(app.rows) - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_tab_walks_the_export_dialog_and_the_extension_chooses_the_format(app: FactsApp,
                                                                                 tmp_path: Path) -> None:
    from textual.widgets import Select

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        box = dialog.query_one("#export-path", Input)
        assert box.has_focus
        await pilot.press("tab")
        assert not box.has_focus
        await pilot.press("shift+tab")
        assert box.has_focus
        box.value = str(tmp_path / "view.md")
        await pilot.pause()
        assert dialog.query_one("#export-format", Select).value == "md"
        await pilot.press("enter")
        await settle(pilot)
        assert (tmp_path / "view.md").read_text(encoding="utf-8").startswith("# ")


async def test_edit_walks_to_region_period_topic_and_kind_by_tab(app: FactsApp, sample_store: FactStore) -> None:
    from textual.widgets import Select

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        target = app.current()
        assert target is not None
        await pilot.press("E")
        await pilot.pause()
        while app.focused is None or app.focused.id != "edit-period":
            await pilot.press("tab")
        app.focused.value = ""  # type: ignore[union-attr]
        await pilot.press(*"2023")
        app.screen.query_one("#edit-topic", Select).value = "logistics"
        app.screen.query_one("#edit-kind", Select).value = "change"
        await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == "edit-region"
        await pilot.press("enter")
        await settle(pilot)
        correction = FactStore.open(sample_store.path).corrections[target.id]
        assert (correction.period, correction.topic, correction.kind) == ("2023", "logistics", "change")


async def test_rejected_facts_are_struck_through_with_a_marker(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        target = app.current()
        assert target is not None
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        row = next(i for i, r in enumerate(app.rows) if r.fact.id == target.id)
        line = app.query_one("#facts", RowList).get_cell_at((row, 0))
        assert line.plain.lstrip().startswith("✗")
        assert any("strike" in str(span.style) for span in line.spans)


async def test_the_kind_is_a_column_and_the_first_line_of_the_detail_at_80x24(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one("#facts", RowList)
        assert "kind" in table._header.plain
        kinds = {r.fact.kind for r in app.rows}
        assert kinds >= {"level", "rate"}
        assert all(r.fact.kind in table.get_cell_at((i, 0)).plain for i, r in enumerate(app.rows))
        detail = str(app.query_one("#detail", Static).render())
        assert detail.startswith(app.rows[0].fact.kind)


async def test_the_years_facet_lists_unknown_with_its_count(app: FactsApp) -> None:
    from textual.widgets import Tree

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.4)  # the facets are counted once typing pauses
        tree = app.query_one("#facets", Tree)
        years = next(n for n in tree.root.children if str(n.label) == "years")
        labels = [str(n.label) for n in years.children]
        assert "unknown  1" in labels


async def test_the_command_palette_says_what_each_action_does(app: FactsApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ours = [c for c in app.get_system_commands(app.screen) if c.title.endswith(")")]
        assert len(ours) >= 10
        assert not any(c.help.startswith("run ") for c in ours)
        assert any(c.help == "Mark or unmark the highlighted fact to compare" for c in ours)


async def test_the_chart_view_toggles_and_exports_as_svg(app: FactsApp, tmp_path: Path) -> None:
    from textual.widgets import ContentSwitcher

    async with app.run_test(size=(80, 24)) as pilot:
        await _filtered(pilot, "metric:online_retail_sales")
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        await pilot.press("v")
        await pilot.pause()
        assert screen.query_one("#cmp-views", ContentSwitcher).current == "cmp-chart"
        chart = screen.query_one("#cmp-chart")
        assert "Tibet" in "".join(strip.text for strip in chart.render_lines(chart.region.reset_offset))
        await pilot.press("e")
        await pilot.pause()
        target = tmp_path / "chart.svg"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        svg = target.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "Tibet" in svg and "电商报告" in svg.replace("&#160;", " ")
        await pilot.press("v")
        assert screen.query_one("#cmp-views", ContentSwitcher).current == "cmp-table"


async def test_the_comparison_chooses_periods_unit_and_kind_by_keys(cmp_app: FactsApp) -> None:
    async with cmp_app.run_test(size=(120, 40)) as pilot:
        await _filtered(pilot, "metric:online_retail_sales")
        await pilot.press("m")
        await pilot.pause()
        screen = cmp_app.screen
        assert isinstance(screen, CompareScreen) and screen.comparison is not None
        assert (screen.comparison.from_period, screen.comparison.to_period) == ("2024", "2025")
        await pilot.press("t")  # the later period: the next one, 2024; the change has none then
        assert screen.comparison.to_period == "2024"
        assert all(r.change_abs is None for r in screen.comparison.main_rows if r.period == "2024")
        await pilot.press("u")
        assert screen.comparison.unit_label == "元"
        await pilot.press("u")
        assert screen.comparison.unit_label == "万元"
        await pilot.press("k")
        assert screen.comparison.kind == "change" and screen.comparison.main_rows[0].value == 50.5
