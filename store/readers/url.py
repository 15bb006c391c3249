"""URLs: a page or a PDF fetched with httpx, within time, size and redirect limits.

`tibet-facts ingest https://…` fetches the document and reads it by its content type: a web page
(text/html, application/xhtml+xml), a PDF, a Word file, or plain text; anything else (an image,
an archive, a binary body) is refused. The charset comes from the Content-Type header, else from
the page (readers/html.py). The URL the document was fetched from (after redirects) is its source.

Every failure is one line naming the URL: a name that does not resolve, a refused connection, no
answer within CONNECT_SECONDS / READ_SECONDS, a body still coming after TOTAL_SECONDS (a server
that streams for ever), a body over the size limit (the Content-Length says so, or the bytes
do), more than MAX_REDIRECTS redirects, an HTTP error status.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.message import Message
from typing import Any

from tibet_facts.store.errors import DecodeError
from tibet_facts.store.sanitize import safe_text

CONNECT_SECONDS = 10.0
READ_SECONDS = 20.0
TOTAL_SECONDS = 60.0
MAX_REDIRECTS = 5
USER_AGENT = "tibet-facts/0.1 (+a terminal fact browser; one request per document)"
_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "text",
    "text/markdown": "text",
}


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document: its bytes, what they are, their charset and where they came from."""

    url: str  # after redirects
    data: bytes
    kind: str  # html, pdf, docx or text
    charset: str | None


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How long and how much a fetch may take."""

    connect: float = CONNECT_SECONDS
    read: float = READ_SECONDS
    total: float = TOTAL_SECONDS
    redirects: int = MAX_REDIRECTS


def is_url(arg: object) -> bool:
    """An http(s) URL given where a path could be (`ingest` takes both)."""
    return isinstance(arg, str) and arg.lower().startswith(("http://", "https://"))


def fetch(url: str, *, max_bytes: int, limits: FetchLimits = FetchLimits()) -> Fetched:
    """GET url; DecodeError with one line naming the URL when it cannot be had."""
    import httpx

    shown = safe_text(url, single_line=True)
    timeout = httpx.Timeout(limits.read, connect=limits.connect)
    try:
        with httpx.Client(
            follow_redirects=True,
            max_redirects=limits.redirects,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,
        ) as client:
            with client.stream("GET", url) as response:
                return _received(response, shown, max_bytes, limits)
    except httpx.HTTPError as exc:
        raise DecodeError(f"{shown}: {_reason(exc, limits)}") from None


def _reason(exc: Exception, limits: FetchLimits) -> str:
    """One line for each way a request fails."""
    import httpx

    if isinstance(exc, httpx.TooManyRedirects):
        return f"more than {limits.redirects} redirects; not fetched"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {limits.connect:g} s; not fetched"
    if isinstance(exc, httpx.TimeoutException):
        return f"the server sent nothing for {limits.read:g} s; not fetched"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({_first_line(exc) or 'connection failed'}); not fetched"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "not a URL that can be fetched (http or https)"
    return f"the fetch failed ({type(exc).__name__}: {_first_line(exc)}); not fetched"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return safe_text(text.splitlines()[0] if text else "", single_line=True)[:200]


def _received(response: Any, shown: str, max_bytes: int, limits: FetchLimits) -> Fetched:
    """The body of a good response within the limits, as a document of a kind we read."""
    if response.status_code >= 400:
        phrase = safe_text(response.reason_phrase or "", single_line=True)
        raise DecodeError(
            f"{shown}: HTTP {response.status_code} {phrase}".rstrip() + "; not fetched"
        )
    media, charset = _content_type(response.headers.get("content-type", ""))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise DecodeError(
            f"{shown}: {declared} bytes is over the limit of {max_bytes} (pass --max-bytes)"
        )
    data = _body(response, shown, max_bytes, limits)
    kind = _kind(media, data, shown)
    return Fetched(str(response.url), data, kind, charset)


def _content_type(header: str) -> tuple[str, str | None]:
    message = Message()
    message["content-type"] = header
    charset = message.get_param("charset")
    return message.get_content_type(), charset if isinstance(charset, str) else None


def _body(response: Any, shown: str, max_bytes: int, limits: FetchLimits) -> bytes:
    """The bytes, refused once over max_bytes or still coming after the total time limit."""
    deadline = time.monotonic() + limits.total
    chunks = bytearray()
    for chunk in response.iter_bytes():
        chunks += chunk
        if len(chunks) > max_bytes:
            raise DecodeError(
                f"{shown}: the body is over the limit of {max_bytes} bytes (pass --max-bytes); "
                "not fetched"
            )
        if time.monotonic() > deadline:
            raise DecodeError(
                f"{shown}: the body was still coming after {limits.total:g} s; not fetched"
            )
    return bytes(chunks)


def _kind(media: str, data: bytes, shown: str) -> str:
    """What the body is, by its content type; a PDF sent as octet-stream by its magic bytes."""
    kind = _KINDS.get(media)
    if kind is None and data.startswith(b"%PDF-"):
        kind = "pdf"
    if kind is None:
        raise DecodeError(
            f"{shown}: {safe_text(media, single_line=True)} is not a web page, PDF, Word file "
            "or text; not read"
        )
    if not data.strip():
        raise DecodeError(f"{shown}: an empty body; not read")
    return kind


def url_name(url: str) -> str:
    """A document name for a URL: the URL without its scheme, shortened for tables."""
    bare = url.split("://", 1)[-1]
    return safe_text(bare if len(bare) <= 100 else bare[:99] + "…", single_line=True)
