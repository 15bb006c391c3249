"""Issue 14: `ingest https://…` against a local HTTP server on 127.0.0.1, and every way it fails.

The server (stdlib http.server in a thread) serves the team's fixtures and misbehaves on purpose:
404, 500, a redirect loop, an image, a Content-Length over the limit, a body that never ends, a
server that never answers, one that sends a byte at a time. Each failure is one line naming the
URL, a non-zero exit and nothing stored; its loops are bounded in time and bytes.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests import fixtures_readers as fx
from tibet_facts.store.errors import DecodeError
from tibet_facts.store.readers.url import FetchLimits, fetch
from tibet_facts.store.repository import FactStore
from tibet_facts.tui.cli import app

runner = CliRunner()
# How long a misbehaving handler goes on at most (the client gives up long before).
HANDLER_SECONDS = 8.0


class Handler(BaseHTTPRequestHandler):
    """The routes of the test server (class attributes hold the fixtures' bytes)."""

    pdf = b""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", headers.pop("length", str(len(body))))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        route = ROUTES.get(self.path.split("?")[0])
        if route is None:
            self._send(404, b"<h1>Not Found</h1>", "text/html")
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


class _QuietServer(ThreadingHTTPServer):
    """A server that keeps its own errors off stderr: a client that hung up early (as the tests
    make it) would otherwise print a traceback into the stderr the CLI's tests read."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def _page(h: Handler) -> None:
    # the header says GBK while the page's <meta> says utf-8: the header wins
    h._send(200, fx.NEWS_PAGE.encode("gbk"), "text/html; charset=gbk")


def _bounded_stream(h: Handler, chunk: bytes, pause: float) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    ends = time.monotonic() + HANDLER_SECONDS
    while time.monotonic() < ends:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        h.wfile.flush()
        time.sleep(pause)


def _slow(h: Handler) -> None:
    time.sleep(3)  # never answers within the client's read timeout
    h._send(200, b"<p>late</p>", "text/html")


ROUTES = {
    "/page.html": _page,
    "/report.pdf": lambda h: h._send(200, Handler.pdf, "application/pdf"),
    "/octets": lambda h: h._send(200, Handler.pdf, "application/octet-stream"),
    "/notes.txt": lambda h: h._send(
        200, "2023年，全区快递业务量为2150万件。".encode(), "text/plain; charset=utf-8"
    ),
    "/redirect": lambda h: h._send(302, b"", "text/html", Location="/page.html"),
    "/loop": lambda h: h._send(302, b"", "text/html", Location="/loop"),
    "/error": lambda h: h._send(500, b"oops", "text/html"),
    "/image.png": lambda h: h._send(200, b"\x89PNG\r\n\x1a\n" + bytes(500), "image/png"),
    "/huge": lambda h: h._send(200, b"<p>1</p>", "text/html", length="100000000"),
    "/forever": lambda h: _bounded_stream(h, b"<p>" + b"x" * 65536 + b"</p>", 0.0),
    "/trickle": lambda h: _bounded_stream(h, b"<", 0.1),
    "/slow": _slow,
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    Handler.pdf = fx.chinese_pdf(tmp_path_factory.mktemp("srv") / "r.pdf").read_bytes()
    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _docs(store_path: Path) -> dict[str, str]:
    """source -> name of the stored documents fetched from the server."""
    store = FactStore.open(store_path)
    return {
        d.source: d.name
        for d in store.documents.values()
        if d.source.startswith("http://127.0.0.1")
    }


def test_ingest_of_a_page_keeps_the_url_as_its_source(server: str, store_path: Path) -> None:
    code, _, err = run("ingest", f"{server}/page.html")
    assert code == 0, err
    store = FactStore.open(store_path)
    doc = next(d for d in store.documents.values() if d.source == f"{server}/page.html")
    assert (doc.title, doc.date, doc.file_type) == ("日喀则市旅游收入增长", "2024-04-18", "html")
    assert doc.encoding == "gb18030"  # from the Content-Type header
    assert {f.value for f in store.facts if f.doc_id == doc.id} == fx.NEWS_VALUES


def test_a_pdf_url_is_read_by_its_content_type_with_its_pages(
    server: str, store_path: Path
) -> None:
    code, _, err = run("ingest", f"{server}/report.pdf", f"{server}/notes.txt")
    assert code == 0, err
    store = FactStore.open(store_path)
    doc = next(d for d in store.documents.values() if d.source == f"{server}/report.pdf")
    assert doc.file_type == "pdf"
    assert {f.value: f.page for f in store.facts if f.doc_id == doc.id} == fx.PDF_PAGE_OF
    assert f"{server}/notes.txt" in _docs(store_path)


def test_a_redirect_is_followed_and_a_pdf_sent_as_octets_is_a_pdf(server: str) -> None:
    assert fetch(f"{server}/redirect", max_bytes=1 << 20).url == f"{server}/page.html"
    assert fetch(f"{server}/octets", max_bytes=1 << 20).kind == "pdf"


@pytest.mark.parametrize(
    ("route", "says"),
    [
        ("/missing", "HTTP 404"),
        ("/error", "HTTP 500"),
        ("/loop", "more than 5 redirects"),
        ("/image.png", "image/png is not a web page"),
        ("/huge", "100000000 bytes is over the limit"),
    ],
)
def test_a_failed_fetch_is_one_line_naming_the_url_and_stores_nothing(
    server: str, store_path: Path, route: str, says: str
) -> None:
    run("stats")
    before = store_path.read_bytes()
    code, _, err = run("ingest", f"{server}{route}")
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and f"{server}{route}" in lines[0] and says in lines[0], (
        err
    )
    assert store_path.read_bytes() == before


def test_a_batch_with_one_failed_url_stores_nothing(
    server: str, store_path: Path, tmp_path: Path
) -> None:
    run("stats")
    before = store_path.read_bytes()
    page = fx.bulletin_page(tmp_path / "b.html")
    code, _, err = run("ingest", str(page), f"{server}/page.html", f"{server}/error")
    assert code == 1 and "HTTP 500" in err and "nothing stored" in err
    assert store_path.read_bytes() == before


def test_a_body_that_never_ends_is_cut_at_the_size_limit(server: str) -> None:
    with pytest.raises(DecodeError, match="over the limit of 1048576 bytes"):
        fetch(f"{server}/forever", max_bytes=1 << 20)


def test_a_body_still_coming_after_the_time_limit_is_refused(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(DecodeError, match="still coming after 1 s"):
        fetch(f"{server}/trickle", max_bytes=1 << 20, limits=FetchLimits(total=1.0))
    assert time.monotonic() - started < 5


def test_a_server_that_never_answers_times_out(server: str) -> None:
    with pytest.raises(DecodeError, match="sent nothing for 0.5 s"):
        fetch(f"{server}/slow", max_bytes=1 << 20, limits=FetchLimits(read=0.5))


def test_a_refused_connection_and_an_unknown_name_are_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DecodeError, match=f"127.0.0.1:{port}/x: cannot connect"):
        fetch(f"http://127.0.0.1:{port}/x", max_bytes=1 << 20)

    def no_such_name(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)  # no DNS query leaves the machine
    with pytest.raises(DecodeError, match="no-such-host.invalid/: cannot connect .*not known"):
        fetch("http://no-such-host.invalid/", max_bytes=1 << 20)
