"""The command line: quick lookups, comparisons, exports and store maintenance.

Commands are thin: open the store, make one library call, print. Expected failures print one
line `tibet-facts: …` and exit with the error's status (1 nothing matched or data error, 2 usage);
never a traceback. Lookups import neither Textual nor the extraction lexicons.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text as RichText

    from tibet_facts.store.model import Fact
    from tibet_facts.store.repository import FactStore

P = ParamSpec("P")
R = TypeVar("R")
LOOKUP, COMPARE, STORE = "Look up", "Compare & export", "Store"
FIND_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "md", "html", "svg")

app = typer.Typer(
    name="tibet-facts",
    help="Find, check and compare figures about Tibet's economy. With no command, opens the browser.",
    no_args_is_help=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    store_path: Path | None = None


def Text(*args: Any, **kwargs: Any) -> RichText:  # noqa: N802 - stands for rich.text.Text
    """rich's Text, imported when something is first shown: a lookup printing JSON never loads
    rich (~40 ms of a cold start)."""
    from rich.text import Text as RichText

    return RichText(*args, **kwargs)


def out() -> Console:
    """stdout: a Rich console fitted to the terminal; wide plain text (no escape codes) when piped."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 200)


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def say_failure(message: str) -> None:
    """One line on stderr, never wrapped: scripts and people grep for it."""
    from tibet_facts.store.sanitize import safe_text

    sys.stderr.write(f"tibet-facts: {safe_text(message, single_line=True)}\n")


def fail(message: str, code: int = 1) -> NoReturn:
    """End a command with one line and a status; a usage error (2) names its command and the
    help to read, as Click's own errors do here (see _run)."""
    say_failure(usage_line(message, _command_name()) if code == 2 else message)
    raise typer.Exit(code)


def usage_line(message: str, command_name: str) -> str:
    """'find: --format wants one of … (see tibet-facts find --help)': the command first (once),
    the help last."""
    named = not command_name or message.startswith((f"{command_name}:", f"{command_name} "))
    where = "" if named else f"{command_name}: "
    help_of = f"tibet-facts {command_name} --help" if command_name else "tibet-facts --help"
    hint = "" if message.endswith("--help)") else f" (see {help_of})"
    return f"{where}{message}{hint}"


def _command_name(ctx: Any = None) -> str:
    """The subcommand being run: from Click's context, else the first command name in argv
    (an option's missing value is reported from the group's context)."""
    from typer._click.globals import get_current_context

    ctx = ctx or get_current_context(silent=True)
    # The name under the root, not command_path: the root's name is whatever ran us
    # ("python -m pytest" under a test runner), never necessarily "tibet-facts".
    while ctx is not None and ctx.parent is not None and ctx.parent.parent is not None:
        ctx = ctx.parent
    name = ctx.info_name if ctx is not None and ctx.parent is not None else ""
    if name:
        return str(name)
    known = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    return next((arg for arg in sys.argv[1:] if arg in known), "")


def command(name: str | None = None, **kwargs: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """app.command, with expected failures turned into one line and the error's exit status."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kw: P.kwargs) -> R:
            from tibet_facts.store.errors import TibetFactsError

            try:
                return func(*args, **kw)
            except TibetFactsError as exc:
                fail(str(exc), exc.exit_code)

        app.command(name, **kwargs)(wrapper)
        return wrapper

    return decorate


def notify(message: str) -> None:
    if sys.stderr.isatty():
        err().print(Text(message, style="dim"))


def open_store() -> FactStore:
    from tibet_facts.store.ingest import open_store as _open

    return _open(State.store_path, notify=notify)


def version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"tibet-facts {version('tibet-facts')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    store: Annotated[Path | None, typer.Option("--store", envvar="TIBET_FACTS_STORE",
                                               help="The store file (default: ~/.local/share/tibet-facts/facts.json).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Find, check and compare figures about Tibet's economy. With no command, opens the browser.

    Example: tibet-facts find 零售额 region:昌都市
    """
    State.store_path = store
    if ctx.invoked_subcommand is None:
        _browse("")


def _browse(query: str) -> None:
    web = bool(os.environ.get("TEXTUAL_DRIVER"))  # `serve` runs us behind textual-serve's web driver
    if not web and (os.environ.get("TERM") == "dumb" or not (sys.stdin.isatty() and sys.stdout.isatty())):
        fail("the browser needs an interactive terminal; use find, show or compare here (see --help)", 2)
    from tibet_facts.tui.app import run_app

    status = run_app(State.store_path, query)
    if status:
        raise typer.Exit(status)


@command(rich_help_panel=LOOKUP)
def browse(query: Annotated[list[str] | None, typer.Argument(help="Filter to start with.")] = None) -> None:
    """Open the fact browser with the filter filled in.

    Example: tibet-facts browse region:Qamdo topic:ecommerce
    """
    _browse(_joined(query))


def _joined(words: list[str] | None) -> str:
    """Query words as typed on the command line, quoted again where they hold spaces."""
    return " ".join(f'"{w}"' if " " in w else w for w in (words or []))


def _query(query: str, region: str | None, topic: str | None, year: str | None, kind: str | None) -> Any:
    from tibet_facts.store.query import build

    return build(query, region=region, topic=topic, year=year, kind=kind)


SORT_KEYS = ("value", "region", "period", "metric", "topic", "doc", "year")


def _sort(facts: list[Fact], key: str | None) -> list[Fact]:
    if not key:
        return facts
    reverse = key.startswith("-")
    name = key.lstrip("-")
    if name not in SORT_KEYS:
        fail(f"--sort wants one of {', '.join(SORT_KEYS)} (prefix - to reverse)", 2)
    getters = {"value": lambda f: f.base_value, "region": lambda f: f.region, "period": lambda f: f.period,
               "metric": lambda f: f.metric_zh, "topic": lambda f: f.topic, "doc": lambda f: (f.doc, f.start),
               "year": lambda f: f.year or 0}
    return sorted(facts, key=getters[name], reverse=reverse)


@command(rich_help_panel=LOOKUP)
def find(
    query: Annotated[list[str] | None, typer.Argument(help="Words and clauses: region: topic: year: kind: unit: doc: value>N.")] = None,
    region: Annotated[str | None, typer.Option(help="A place (aliases work); includes the places under it.")] = None,
    topic: Annotated[str | None, typer.Option(help="A topic, e.g. ecommerce.")] = None,
    year: Annotated[str | None, typer.Option(help="A year or a range: 2019..2025.")] = None,
    kind: Annotated[str | None, typer.Option(help="level, change, rate or share.")] = None,
    sort: Annotated[str | None, typer.Option(help="Sort by value, region, period, metric, topic, doc or year; -value reverses.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Show at most N facts.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FIND_FORMATS)}.")] = "table",
) -> None:
    """Facts matching a query, as a table or for scripts. Exit 1 when nothing matches.

    Example: tibet-facts find 零售额 --region 昌都市 --year 2025 --format json
    """
    if format not in FIND_FORMATS:
        fail(f"--format wants one of {', '.join(FIND_FORMATS)}", 2)
    q = _query(_joined(query), region, topic, year, kind)
    store = open_store()
    facts = _sort(store.find(q), sort)[:limit]
    if not facts:
        err().print(Text(f"no facts match: {q.describe(0)}"))
        raise typer.Exit(1)
    _print_facts(facts, store, format, q.describe(len(facts)))


def _print_facts(facts: list[Fact], store: FactStore, fmt: str, title: str) -> None:
    if fmt in ("json", "jsonl"):
        from tibet_facts.store.format import facts_json

        _write_bytes(facts_json(facts, store.documents, lines=fmt == "jsonl"))
        return
    if fmt == "table":
        from tibet_facts.store.render import facts_table

        out().print(facts_table(facts, store.documents, title=title, width=_table_width()))
        return
    from tibet_facts.store.export import render_facts

    rendered = render_facts(facts, store.documents, fmt, title=title)
    sys.stdout.write(rendered if isinstance(rendered, str) else rendered.decode())


def _write_bytes(payload: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()


def _table_width() -> int | None:
    """The width a table is fitted to: $COLUMNS, else the terminal's; None when piped (every
    column, as plain as before)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


SHOW_FORMATS = ("table", "csv", "json", "jsonl")


@command(rich_help_panel=LOOKUP)
def show(
    fact_id: Annotated[str, typer.Argument(metavar="ID", help="A fact id (a unique prefix is enough).")],
    format: Annotated[str, typer.Option("--format", "-f",
                                        help=f"One of {', '.join(SHOW_FORMATS)}.")] = "table",
) -> None:
    """One fact with every field, its sentence with the number marked, and its document.

    Example: tibet-facts show 3f9a1c --format json
    """
    if format not in SHOW_FORMATS:
        fail(f"show: --format wants one of {', '.join(SHOW_FORMATS)}, not {format!r}", 2)
    store = open_store()
    fact = _one_fact(store, fact_id)
    if format != "table":
        _print_fact_record(fact, store, format)
        return
    from rich.text import Text as RichText

    from tibet_facts.store.excerpt import excerpt_text, fact_fields

    console = out()
    doc = store.document(fact.doc_id)
    for name, value in fact_fields(fact, doc, extracted=store.by_id.get(fact.id),
                                   rejected=store.is_rejected(fact.id)):
        console.print(RichText.assemble((f"{name:>12} ", "bold"), value))
    console.print()
    console.print(excerpt_text(fact, doc))


def _print_fact_record(fact: Fact, store: FactStore, fmt: str) -> None:
    """One fact for scripts: csv as `find` and `export` write it; json(l) every field, its
    document's, its sentence, whether it is rejected and what was extracted before corrections."""
    if fmt == "csv":
        _print_facts([fact], store, fmt, "")
        return
    import orjson

    from tibet_facts.store.format import fact_record

    record = fact_record(fact, store.document(fact.doc_id), extracted=store.by_id.get(fact.id),
                         rejected=store.is_rejected(fact.id))
    option = orjson.OPT_INDENT_2 if fmt == "json" else 0
    _write_bytes(orjson.dumps(record, option=option) + b"\n")


COMPARE_FORMATS = ("table", "csv", "json", "jsonl", "md", "html", "svg")


@command(rich_help_panel=COMPARE)
def compare(
    ids: Annotated[list[str] | None, typer.Argument(metavar="[ID]...", help="Fact ids to put side by side.")] = None,
    metric: Annotated[str | None, typer.Option(help="Compare every fact of this metric (id, Chinese or English).")] = None,
    by: Annotated[str, typer.Option(help="region (places as rows) or period (a place's periods as rows).")] = "region",
    kind: Annotated[str | None, typer.Option(help="level, change, rate or share (default: level).")] = None,
    start: Annotated[str | None, typer.Option("--from", help="The earlier period of the change.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="The later period of the change (default: the latest).")] = None,
    period: Annotated[str | None, typer.Option(hidden=True, help="Same as --to.")] = None,
    baseline: Annotated[str | None, typer.Option(help="The place (any of its names) ratios are computed against.")] = None,
    unit: Annotated[str | None, typer.Option(help="Show values in this unit: 亿元, 万元, 'million yuan', 万人次, %.")] = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw the chart instead of the table (svg: the chart).")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(COMPARE_FORMATS)}.")] = "table",
    query: Annotated[str, typer.Option("--query", "-q", help="Extra filter clauses.")] = "",
) -> None:
    """One metric side by side: places as rows, periods oldest to newest, the change from the
    earlier period to the later, ratios to a baseline place, every value with its source.

    Example: tibet-facts compare --metric online_retail_sales --by period --from 2024 --to 2025
    """
    from tibet_facts.store.compare import compare_facts

    if format not in COMPARE_FORMATS:
        fail(f"compare: --format wants one of {', '.join(COMPARE_FORMATS)}, not {format!r}", 2)
    store = open_store()
    facts = _compared_facts(store, ids, metric, query)
    comp = compare_facts(facts, by=by, baseline=baseline, kind=kind, start=start, end=end or period, unit=unit)
    _print_comparison(comp, store, format, chart)


def _compared_facts(store: FactStore, ids: list[str] | None, metric: str | None, query: str) -> list[Fact]:
    """The facts the ids name (each exactly one), or every fact of the metric; unknown ones are
    one line with the closest names, exit 2."""
    from tibet_facts.store.query import metric_clause, parse

    q = parse(query)
    if ids:
        facts = [_one_fact(store, i) for i in ids]
        return [f for f in facts if q.matches(f)]
    if not metric:
        fail("compare: give fact ids or --metric (see --help)", 2)
    q.clauses.append(metric_clause(metric))
    facts = store.find(q)
    if not facts:
        from tibet_facts.store.compare import closest

        names = {n for key, _ in store.table.count_pairs(("metric_id", "metric_en"), range(store.table.n)).items()
                 for n in key}
        fail(f"compare: no facts of metric {metric!r}{closest(metric, names)}", 2)
    return facts


def _width() -> int:
    """The width to fit: the terminal's, or $COLUMNS; piped output is wide (200) as before."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return 200


def _print_comparison(comp: Any, store: FactStore, fmt: str, chart: bool) -> None:
    from tibet_facts.store import compare_out

    if fmt != "table":
        sys.stdout.write(compare_out.render(comp, store.documents, fmt, width=min(_width(), 160), chart=chart))
        return
    from rich.console import Console
    from rich.text import Text as RichText

    width = _width()
    console = Console(highlight=False, soft_wrap=False, width=width)
    if chart:
        from tibet_facts.store.chart import chart_data, chart_text

        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        console.print(Text(compare_out.title_text(comp), style="bold"))
        console.print(RichText.from_ansi(chart_text(chart_data(comp), min(width, 120), 20, color=color)))
    else:
        console.print(compare_out.rich_table(comp, store.documents, width))
    lines = compare_out.note_lines(comp) + compare_out.grid(comp, store.documents, width).sources
    if lines:  # one print: a print a line cost 0.25 ms each, 11 s for a metric's 40,000 sources
        console.print(Text("\n".join(lines)), no_wrap=True, overflow="ellipsis")


@command(rich_help_panel=COMPARE)
def export(
    file: Annotated[Path, typer.Argument(help="Output file; the suffix picks the format (.csv .tsv "
                                               ".json .jsonl .md .html .svg .xlsx .parquet).")],
    query: Annotated[list[str] | None, typer.Argument(help="Filter, as for find.")] = None,
    region: Annotated[str | None, typer.Option(help="A place; includes the places under it.")] = None,
    topic: Annotated[str | None, typer.Option(help="A topic.")] = None,
    year: Annotated[str | None, typer.Option(help="A year or a range.")] = None,
    kind: Annotated[str | None, typer.Option(help="level, change, rate or share.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    parents: Annotated[bool, typer.Option("--parents", help="Make the file's folder if it is missing.")] = False,
) -> None:
    """Write the matching facts, with their citations, to a file.

    Example: tibet-facts export retail.parquet 零售额 --year 2025
    """
    from tibet_facts.store.export import export_facts, fmt_for

    fmt = fmt_for(file, None)  # an unknown format or a missing extra before any work
    q = _query(_joined(query), region, topic, year, kind)
    store = open_store()
    facts = store.find(q)
    if not facts:
        err().print(Text(f"no facts match: {q.describe(0)}"))
        raise typer.Exit(1)
    path = export_facts(facts, store.documents, file, fmt, force=force,
                        title=q.describe(len(facts)), parents=parents)
    err().print(Text(f"wrote {len(facts)} facts to {path}"))


@command(rich_help_panel=LOOKUP)
def extract(
    paths: Annotated[list[Path], typer.Argument(readable=False, help="Files or folders (.txt .md .html).")],
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, json or table.")] = "jsonl",
    encoding: Annotated[str | None, typer.Option(help="Read the files in this encoding.")] = None,
) -> None:
    """The facts of documents, printed without storing them.

    Example: tibet-facts extract article.txt --format table
    """
    from tibet_facts.store.corpus import expand_paths, manifest_of, read_source
    from tibet_facts.store.errors import DecodeError
    from tibet_facts.store.ingest import extract_source

    if format not in ("jsonl", "json", "table"):
        fail("--format wants jsonl, json or table", 2)
    facts: list[Fact] = []
    bad = 0
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    for path in expand_paths(paths):
        try:
            source = read_source(path, encoding=encoding, manifest=manifest_of(path, manifests))
        except DecodeError as exc:
            sys.stderr.write(f"tibet-facts: {exc}\n")
            bad += 1
            continue
        got = extract_source(source)
        if format == "jsonl":
            sys.stdout.write("".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in got))
        facts += got
    if format == "json":
        sys.stdout.write(json.dumps([f.to_dict() for f in facts], ensure_ascii=False, indent=1) + "\n")
    elif format == "table":
        from tibet_facts.store.render import facts_table

        out().print(facts_table(facts))
    if bad:
        raise typer.Exit(1)


@command(rich_help_panel=LOOKUP)
def quantities(
    text: Annotated[str | None, typer.Argument(help="The text to read (default: --file or standard input).")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the text from a file.")] = None,
    each_line: Annotated[bool, typer.Option("--each-line", help="Each input line is a separate text.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
) -> None:
    """Every quantity the parser reads in a text, fact or not (how to check a phrase).

    Example: tibet-facts quantities "网络零售额突破280亿元，同比增长近两成"
    """
    from tibet_facts.store.quantify import read_quantities

    if format not in ("table", "jsonl"):
        fail("--format wants table or jsonl", 2)
    if text is None:
        if file is not None:
            from tibet_facts.store.decode import read_document
            from tibet_facts.store.errors import DecodeError

            try:
                text = read_document(file).text
            except DecodeError as exc:
                fail(str(exc))
        else:
            text = sys.stdin.read()
    lines = text.split("\n") if each_line else [text]
    records = [dict(line=n, **q) for n, line in enumerate(lines) for q in read_quantities(line)]
    if format == "jsonl":
        sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return
    from rich.table import Table

    from tibet_facts.store.render import cell

    table = Table("line", "text", "value", "unit", "base value", "base unit", "qualifier", "role", "start", "end")
    for r in records:
        table.add_row(*(cell(r[k]) for k in ("line", "text", "value", "unit", "base_value", "base_unit",
                                            "qualifier", "role", "start", "end")))
    out().print(table)


@command(rich_help_panel=LOOKUP)
def periods(
    text: Annotated[str | None, typer.Argument(help="The text to read (default: standard input).")] = None,
    date: Annotated[str, typer.Option("--date", help="The date of writing: 2025, 2025-11 or 2025-11-03.")] = "unknown",
    each_line: Annotated[bool, typer.Option("--each-line", help="Each input line is a text; a line may be "
                                            'JSON, {"text": ..., "date": ...}.')] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
) -> None:
    """Every time expression in a text and the period it stands for (how to check a phrase).

    Example: tibet-facts periods "今年前三季度，全区…" --date 2025-11
    """
    if format not in ("table", "jsonl"):
        fail("--format wants table or jsonl", 2)
    source = text if text is not None else sys.stdin.read()
    cases = [_period_case(line, date) for line in source.split("\n")] if each_line else [(source, date)]
    if each_line and cases and cases[-1] == ("", date) and source.endswith("\n"):
        cases.pop()  # the newline that ends the input is not one more case
    found = [_periods_found(body, when) for body, when in cases]
    if format == "jsonl":
        sys.stdout.write("".join(json.dumps({"periods": p}, ensure_ascii=False) + "\n" for p in found))
        return
    _periods_table(found)


def _periods_found(body: str, when: str) -> list[dict[str, Any]]:
    """The time expressions of one text as the pipeline reads them (normalized: 後, full-width
    digits), with spans into the text as given; stock cues ("there are") are not times."""
    from tibet_facts.store.extract.normalize import normalize
    from tibet_facts.store.extract.period import find_times

    norm = normalize(body)
    out = []
    for t in find_times(norm.text, when):
        if t.cue:
            continue
        start, end = norm.span_to_orig(t.start, t.end)
        out.append({"start": start, "end": end, "period": t.period, "text": body[start:end]})
    return out


def _period_case(line: str, date: str) -> tuple[str, str]:
    """A line of --each-line input: plain text, or {"text": ..., "date": ...} as the suites send."""
    if line.startswith("{"):
        try:
            case = json.loads(line)
            return str(case.get("text") or ""), str(case.get("date") or date)
        except (ValueError, AttributeError):
            pass
    return line, date


def _periods_table(found: list[list[dict[str, Any]]]) -> None:
    from rich.table import Table

    from tibet_facts.store.render import cell

    table = Table("line", "text", "period", "start", "end")
    for n, items in enumerate(found):
        for item in items:
            table.add_row(cell(n), cell(item["text"]), cell(item["period"]), cell(item["start"]), cell(item["end"]))
    out().print(table)


@command(rich_help_panel=STORE)
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or URLs (http, https) to add.")],
    encoding: Annotated[str | None, typer.Option(help="Read the files in this encoding.")] = None,
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Store the good files even if some are refused.")] = False,
    max_bytes: Annotated[int | None, typer.Option(help="Refuse files larger than this (default 20 MB).")] = None,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Fail at once if another process is writing.")] = False,
    date: Annotated[str | None, _meta_option("The date of writing (YYYY, YYYY-MM or YYYY-MM-DD); "
                                             "relative times (今年) are read against it.")] = None,
    title: Annotated[str | None, _meta_option("The documents' title.")] = None,
    publisher: Annotated[str | None, _meta_option("Who published them.")] = None,
    language: Annotated[str | None, _meta_option("zh or en (default: from the text).")] = None,
    source: Annotated[str | None, _meta_option("Where they come from (a URL, a paper).")] = None,
) -> None:
    """Add documents to the store (text, web pages, PDF, Word, URLs); all or nothing unless --keep-going.
    --date, --title, --publisher, --language and --source win over front matter, a manifest and
    a page's own metadata, for every document given.

    Example: tibet-facts ingest reports/ https://example.org/bulletin.pdf --keep-going
    Example: tibet-facts ingest notes.txt --date 2024-05 --publisher 西藏日报
    """
    from rich.table import Table

    from tibet_facts.store.docmeta import checked
    from tibet_facts.store.render import cell

    meta = checked(date=date, title=title, publisher=publisher, language=language, source=source)
    store = open_store()
    report = _ingest_with_progress(store, paths, encoding=encoding, keep_going=keep_going, max_bytes=max_bytes,
                                   wait=not no_wait, meta=meta)
    for reason in report.refused:
        sys.stderr.write(f"tibet-facts: {reason}\n")
    if report.added is not None:
        table = Table("document", "title", "facts", "status")
        for doc in report.documents:
            n = report.fact_counts.get(doc.id)
            table.add_row(cell(doc.name), cell(doc.title[:40]), cell(n if n is not None else "—"),
                          cell("added" if n is not None else "already stored"))
        out().print(table)
        out().print(Text(f"committed {report.added.documents} documents, {report.added.facts} facts to {store.path}"))
    elif report.refused and len(report.refused) + len(report.documents) > 1:
        # a batch: say that the readable files were not stored either (one refused file is one line)
        err().print(Text("nothing stored: fix or remove the refused files, or pass --keep-going"))
    if not report.ok:
        raise typer.Exit(1)


def _meta_option(help_text: str) -> Any:
    return typer.Option(help=help_text, rich_help_panel="Metadata (documents without front matter)")


def _ingester(meta: dict[str, str] | None) -> Callable[..., Any]:
    """store.ingest.ingest_paths, or with metadata given: the same, the metadata set first."""
    if meta:
        from tibet_facts.store.docmeta import ingest_with_metadata

        return functools.partial(ingest_with_metadata, meta=meta)
    from tibet_facts.store.ingest import ingest_paths

    return ingest_paths


def _ingest_with_progress(store: FactStore, paths: list[Any], **options: Any) -> Any:
    """store.ingest.ingest_paths with a progress bar on stderr when it is a terminal."""
    ingest_paths = _ingester(options.pop("meta", None))

    if not sys.stderr.isatty():
        return ingest_paths(store, paths, notify=notify, **options)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err(),
                  transient=True) as bar:
        tasks: dict[str, Any] = {}

        def steps(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return ingest_paths(store, paths, notify=notify, steps=steps, **options)


ListFormat = Annotated[str, typer.Option("--format", "-f", help="table, csv, json or jsonl.")]
LIST_FORMATS = ("table", "csv", "json", "jsonl")


def _listing(columns: tuple[str, ...], rows: list[tuple[Any, ...]], fmt: str, *, title: str = "") -> None:
    """A listing as a table (cut to the terminal, never wrapped) or as csv/json/jsonl records."""
    if fmt not in LIST_FORMATS:
        fail(f"--format wants one of {', '.join(LIST_FORMATS)}, not {fmt!r}", 2)
    if fmt == "table":
        from rich.table import Table

        from tibet_facts.store.render import cell

        table = Table(*columns, title=title or None)
        for column in table.columns:
            column.no_wrap, column.overflow = True, "ellipsis"
        for row in rows:
            table.add_row(*(cell(v) for v in row))
        out().print(table)
        return
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    elif fmt == "json":
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


@command(rich_help_panel=STORE)
def docs(format: ListFormat = "table") -> None:
    """The stored documents with their metadata and fact counts.

    Example: tibet-facts docs --format json
    """
    store = open_store()
    counts = store.count_by("doc_id")
    rows = [(d.id[:8] if format == "table" else d.id, d.name, d.title[:50] if format == "table" else d.title,
             d.publisher, d.date, d.language, counts[d.id]) for d in store.documents.values()]
    _listing(("id", "name", "title", "publisher", "date", "lang", "facts"), rows, format)


@command(rich_help_panel=STORE)
def regions(format: ListFormat = "table") -> None:
    """The region tree (region -> prefecture -> county -> town) with fact counts.

    Example: tibet-facts regions --format csv
    """
    from rich.tree import Tree

    from tibet_facts.store.render import cell

    store = open_store()
    counts = store.region_tree()
    if format != "table":
        rows = [(path[-1], " > ".join(path), len(path), n) for path, n in sorted(counts.items())]
        _listing(("region", "path", "depth", "facts"), rows, format)
        return
    root = Tree(Text("regions"))
    nodes: dict[tuple[str, ...], Tree] = {(): root}
    for path in sorted(counts, key=lambda p: (len(p), p)):
        parent = nodes.get(path[:-1], root)
        nodes[path] = parent.add(cell(f"{path[-1]}  {counts[path]}"))
    out().print(root)


@command(rich_help_panel=STORE)
def topics(format: ListFormat = "table") -> None:
    """Topics with fact counts.

    Example: tibet-facts topics --format json
    """
    _listing(("topic", "facts"), open_store().count_by("topic").most_common(), format)


@command(rich_help_panel=STORE)
def metrics(limit: Annotated[int, typer.Option(help="Show the N most common.")] = 50,
            format: ListFormat = "table") -> None:
    """One row a metric id (or, without one, a metric phrase) with its names and fact count.

    Example: tibet-facts metrics --limit 20 --format csv
    """
    from collections import Counter, defaultdict

    store = open_store()
    counts: Counter[str] = Counter()
    names: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"zh": set(), "en": set()})
    for (zh, en, mid), n in store.count_by("metric_zh", "metric_en", "metric_id").items():
        key = mid or zh or en
        counts[key] += n
        names[key]["zh"].add(zh)
        names[key]["en"].add(en)
    rows = [(key, " / ".join(sorted(filter(None, names[key]["zh"]))),
             " / ".join(sorted(filter(None, names[key]["en"]))), n) for key, n in counts.most_common(limit)]
    _listing(("metric", "chinese", "english", "facts"), rows, format)


@command(rich_help_panel=STORE)
def stats(format: ListFormat = "table") -> None:
    """How much the store holds and where it is.

    Example: tibet-facts stats --format json
    """
    store = open_store()
    size = store.path.stat().st_size if store.path.exists() else 0
    rejected = sum(1 for c in store.corrections.values() if c.rejected)
    values = {"store": str(store.path), "bytes": size, "documents": len(store.documents),
              "facts": store.table.n, "corrections": len(store.corrections), "rejected": rejected}
    if format != "table":
        _listing(tuple(values), [tuple(values.values())], format)
        return
    for line in (f"store       {store.path}", f"size        {size:,} bytes", f"documents   {len(store.documents)}",
                 f"facts       {store.table.n}", f"corrections {len(store.corrections)} ({rejected} rejected)"):
        out().print(Text(line))


@command(rich_help_panel=STORE)
def rebuild(
    force: Annotated[bool, typer.Option("--force", help="Commit even if over half the facts would go.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would change; write nothing.")] = False,
) -> None:
    """Re-extract every stored document (after an upgrade), keeping corrections, and report
    facts before and after: added, removed, changed, corrections re-applied.

    Example: tibet-facts rebuild --dry-run
    """
    from tibet_facts.store.rebuild import rebuild as _rebuild

    report = _rebuild(open_store(), force=force, dry_run=dry_run)
    for line in report.lines():
        out().print(Text(line))


def _one_fact(store: FactStore, fact_id: str) -> Fact:
    """The fact a full id or a unique prefix names; one line and exit 1 otherwise."""
    rows = store.table.rows_with_prefix(fact_id.strip().lower()) if fact_id.strip() else []
    if len(rows) != 1:
        fail(f"{'no fact' if not rows else f'{len(rows)} facts'} with id {fact_id}", 1)
    return store.table.fact(rows[0])


def _correct(fact_id: str, changes: dict[str, Any], done: str) -> None:
    from tibet_facts.store.curation import checked

    store = open_store()
    fact = _one_fact(store, fact_id)
    corr = store.correct(fact.id, checked(changes))
    fields = ", ".join(f"{k}={v}" for k, v in corr.fields().items())
    state = "rejected" if corr.rejected else "not rejected"
    out().print(Text(f"{fact.id}: {done} ({state}{'; ' + fields if fields else ''})"))


IdArg = Annotated[str, typer.Argument(metavar="ID", help="A fact id (a unique prefix is enough).")]


@command(rich_help_panel=STORE)
def reject(fact_id: IdArg) -> None:
    """Mark a fact as wrong: hidden from finds, comparisons and exports (its other corrections stay).

    Example: tibet-facts reject 3f9a1c
    """
    _correct(fact_id, {"rejected": True}, "rejected")


@command(rich_help_panel=STORE)
def restore(fact_id: IdArg) -> None:
    """Take back a fact's rejection (its other corrections stay).

    Example: tibet-facts restore 3f9a1c
    """
    _correct(fact_id, {"rejected": False}, "restored")


def _opt(help_text: str) -> Any:
    return typer.Option(help=help_text)


@command(rich_help_panel=STORE)
def correct(
    fact_id: IdArg,
    metric: Annotated[str | None, _opt("The metric in Chinese (\"\" un-corrects).")] = None,
    metric_en: Annotated[str | None, _opt("The metric in English.")] = None,
    metric_id: Annotated[str | None, _opt("The metric id, shared by facts of one measure.")] = None,
    region: Annotated[str | None, _opt("A place, by any of its names (checked against the gazetteer).")] = None,
    period: Annotated[str | None, _opt("2025, 2025-08, 2021..2025, 2025-01..2025-08, 'as of 2025-08'.")] = None,
    topic: Annotated[str | None, _opt("One of the topics (see `tibet-facts topics`).")] = None,
    kind: Annotated[str | None, _opt("level, change, rate or share.")] = None,
) -> None:
    """Correct some fields of a fact; the fields not named keep their corrections.

    Example: tibet-facts correct 3f9a1c --region 芒康县 --period 2024
    """
    given = {"metric_zh": metric, "metric_en": metric_en, "metric_id": metric_id, "region": region,
             "period": period, "topic": topic, "kind": kind}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        fail("correct: name a field to change (--metric, --region, --period, --topic, --kind ...)", 2)
    _correct(fact_id, changes, "corrected")


@command(rich_help_panel=STORE)
def corrections(
    fmt: Annotated[str, typer.Option("--format", help="table or json (the file --import reads).")] = "table",
    import_file: Annotated[Path | None, typer.Option("--import", help="Add the corrections of a file "
                                                     "written by --format json.")] = None,
) -> None:
    """List the corrections, write them as JSON to share, or import a team's file.

    Example: tibet-facts corrections --format json > ours.json; tibet-facts corrections --import ours.json
    """
    from tibet_facts.store import curation

    store = open_store()
    if import_file is not None:
        _import_corrections(store, curation.load(import_file))
        return
    if fmt == "json":
        sys.stdout.write(curation.dump(store.corrections))
        return
    if fmt != "table":
        fail(f"--format: table or json, not {fmt!r}", 2)
    _corrections_table(store)


def _import_corrections(store: FactStore, rows: list[Any]) -> None:
    known = [c for c in rows if store.table.row_of(c.fact_id) is not None]
    store.correct_many({c.fact_id: {"rejected": c.rejected, **c.fields()} for c in known})
    out().print(Text(f"imported {len(known)} corrections; {len(rows) - len(known)} name no fact in this store"))


def _corrections_table(store: FactStore) -> None:
    from rich.table import Table

    table = Table(title=f"{len(store.corrections)} corrections", show_lines=False)
    for col in ("id", "rejected", "corrected fields"):
        table.add_column(col)
    for fact_id, corr in sorted(store.corrections.items()):
        fields = "; ".join(f"{k}={v}" for k, v in corr.fields().items())
        table.add_row(Text(fact_id), Text("yes" if corr.rejected else ""), Text(fields))
    out().print(table)


@command("restore-backup", rich_help_panel=STORE)
def restore_backup() -> None:
    """Put the previous store generation (<store>.bak) back in place.

    Example: tibet-facts restore-backup
    """
    from tibet_facts.store.db.backup import restore_backup as _restore
    from tibet_facts.store.db.paths import default_store_path

    path = State.store_path or default_store_path()
    _restore(Path(path))
    out().print(Text(f"restored {path} from its backup"))


@command(rich_help_panel=STORE)
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the browser as a web page on localhost (textual-serve).

    Example: tibet-facts serve --port 8000
    """
    try:
        from textual_serve.server import Server
    except ImportError:
        fail("serve needs textual-serve: pip install 'tibet-facts[serve]'")
    import shlex

    # textual-serve runs the command through a shell: every part is quoted, so a store path
    # with a space or a `;` is one argument and never a second command.
    parts = [sys.executable, "-m", "tibet_facts.tui"]
    if State.store_path:
        parts += ["--store", str(State.store_path)]
    Server(shlex.join(parts), host=host, port=port).serve()


# OS errors that mean a write could not be made (the disk, a quota, a limit, permissions).
_WRITE_ERRNOS = {"ENOSPC", "EFBIG", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO"}


def main() -> None:
    """The console script: expected errors become one line and an exit status."""
    from tibet_facts.store.errors import TibetFactsError

    try:
        _run()
    except TibetFactsError as exc:
        _one_line(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        os._exit(0)
    except MemoryError:
        _one_line("out of memory (the memory limit is too low for this store or document)", 70)
    except OSError as exc:
        _os_failure(exc)
    except Exception as exc:  # an unexpected bug: one line here, the traceback (no locals) in a log
        _one_line(f"internal error ({type(exc).__name__}); {_write_crash_log(exc)}", 70)


def _run() -> None:
    """The app, with Click's own failures (a bad option, a value out of range) as one line
    with exit 2 instead of a usage box."""
    # Typer (below 0.29) carries its own copy of Click; its exceptions live there.
    from typer._click.exceptions import ClickException, UsageError

    try:
        code = app(standalone_mode=False)
    except UsageError as exc:
        _one_line(usage_line(exc.format_message(), _command_name(getattr(exc, "ctx", None))), 2)
    except typer.Abort:
        sys.exit(130)
    except ClickException as exc:
        _one_line(exc.format_message(), exc.exit_code)
    if isinstance(code, int) and code:
        sys.exit(code)


def _one_line(message: str, code: int) -> NoReturn:
    """`fail` outside the app (Typer is no longer there to turn its Exit into a status)."""
    say_failure(message)
    sys.exit(code)


def _os_failure(exc: OSError) -> NoReturn:
    import errno

    from tibet_facts.store.errors import os_reason

    reason = os_reason(exc)
    where = f" ({exc.filename})" if exc.filename else ""
    if errno.errorcode.get(exc.errno or 0) in _WRITE_ERRNOS:
        _one_line(f"cannot write: {reason}{where}", 74)
    _one_line(f"internal error (OSError: {reason}{where}); {_write_crash_log(exc)}", 70)


def _write_crash_log(exc: BaseException) -> str:
    """The traceback without local variables (they may hold document text), in the cache
    folder; when even that cannot be written (a full disk, `ulimit -f`), say so instead."""
    import tempfile
    import traceback

    from tibet_facts.store.db.paths import cache_dir

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for folder in (cache_dir(), Path(tempfile.gettempdir())):
        path = folder / "last-error.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return f"details in {path}"
        except OSError:
            continue
    return "no details written (the log could not be written either)"


if __name__ == "__main__":
    main()
