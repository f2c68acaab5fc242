"""A small HTTP/1.1 client over asyncio streams with one persistent (keep-alive) connection,
for `bench.peer_load`: cheap enough that the load generator is not what is measured.

It reads bodies framed by `Content-Length`, by `Transfer-Encoding: chunked` (uvicorn uses it
for some responses) or by the end of the connection; it reconnects when the server closed the
connection (`Connection: close`, as gunicorn's sync workers answer) and retries a request once
when a reused connection turned out to be closed before any byte of the answer arrived. It only
ever connects to 127.0.0.1.
"""

import asyncio
from dataclasses import dataclass, field

LOOPBACK = "127.0.0.1"
HEADER_LIMIT = 1 << 16


class StaleConnection(Exception):
    """The server closed a reused connection before answering: safe to send again."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class ConnectionStats:
    connects: int = 0
    retries: int = 0


@dataclass
class Connection:
    """One client's persistent connection to 127.0.0.1:port (opened lazily, reopened as needed)."""

    port: int
    host: str = LOOPBACK
    stats: ConnectionStats = field(default_factory=ConnectionStats)
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None
    _used: bool = False  # has the open connection already carried a full exchange?

    def __post_init__(self) -> None:
        if self.host != LOOPBACK:
            raise ValueError(f"the peer benchmark only talks to {LOOPBACK}, not {self.host}")

    async def request(
        self, method: str, target: str, headers: dict[str, str], body: bytes | None = None
    ) -> Response:
        """Send one request and read its whole answer; once more on a fresh connection if stale."""
        try:
            return await self._exchange(method, target, headers, body)
        except StaleConnection:
            self.stats.retries += 1
            return await self._exchange(method, target, headers, body)

    async def close(self) -> None:
        """Close the connection (if open); the transport goes at the loop's next turn."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=HEADER_LIMIT
            )
            self._used = False
            self.stats.connects += 1
        return self._reader, self._writer

    async def _exchange(
        self, method: str, target: str, headers: dict[str, str], body: bytes | None
    ) -> Response:
        reader, writer = await self._open()
        reused = self._used
        head = b""
        try:
            writer.write(self._head(method, target, headers, body) + (body or b""))
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            response, keep = await self._read_body(reader, head, method)
        except BaseException as exc:
            await self.close()
            if reused and not head and closed_before_answer(exc):
                raise StaleConnection from exc
            raise
        if keep:
            self._used = True
        else:
            await self.close()
        return response

    def _head(self, method: str, target: str, headers: dict[str, str], body: bytes | None) -> bytes:
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def _read_body(
        self, reader: asyncio.StreamReader, head: bytes, method: str
    ) -> tuple[Response, bool]:
        """The answer whose status line and headers are `head`; and whether the connection stays
        open after it."""
        status_line, _, header_block = head.partition(b"\r\n")
        version, status_text, *_ = status_line.decode("latin-1").split(" ", 2)
        status = int(status_text)
        headers = parse_headers(header_block)
        connection = headers.get("connection", "").lower()
        keep = "close" not in connection and (version == "HTTP/1.1" or "keep-alive" in connection)
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return Response(status, headers, b""), keep
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return Response(status, headers, await read_chunked(reader)), keep
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
            return Response(status, headers, body), keep
        return Response(status, headers, await reader.read()), False  # framed by the close


def closed_before_answer(exc: BaseException) -> bool:
    """Whether `exc` means the server closed the connection before any byte of an answer."""
    if isinstance(exc, asyncio.IncompleteReadError):
        return not exc.partial
    return isinstance(exc, ConnectionError)


def parse_headers(block: bytes) -> dict[str, str]:
    """Header lines (up to the blank line) as a dict with lower-case names; repeats joined."""
    headers: dict[str, str] = {}
    for line in block.decode("latin-1").split("\r\n"):
        name, sep, value = line.partition(":")
        if not sep:
            continue
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return headers


async def read_chunked(reader: asyncio.StreamReader) -> bytes:
    """A `Transfer-Encoding: chunked` body (trailers read and dropped)."""
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass  # a trailer field
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)  # the CRLF after each chunk
