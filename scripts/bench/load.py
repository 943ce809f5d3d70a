"""Bounded closed-loop load: N concurrent clients, each sending its next request when the last one answers.

The same driver shape serves both sides of a comparison: ``http_run`` against
the API over loopback (a minimal HTTP/1.1 client on asyncio streams, cheaper
than any HTTP library), ``sql_run`` through psycopg's asyncio connections.
Both stop at ``seconds`` or ``max_requests``, whichever comes first.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import asdict, dataclass, field


@dataclass
class RunResult:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    first_error: str = ""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    def summary(self) -> dict:
        data = asdict(self)
        del data["latencies_ms"]
        data.update(
            rps=round(self.rps, 1),
            p50_ms=round(self.percentile(50), 2),
            p99_ms=round(self.percentile(99), 2),
            mean_ms=round(statistics.fmean(self.latencies_ms), 2) if self.latencies_ms else 0.0,
        )
        return data


async def _closed_loop(concurrency: int, seconds: float, max_requests: int, one_request) -> RunResult:
    result = RunResult()
    deadline = time.perf_counter() + seconds
    budget = [max_requests]

    async def client(index: int):
        state = {}
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            try:
                await one_request(index, state)
            except Exception as exc:  # noqa: BLE001 - counted and reported, the run goes on
                result.errors += 1
                if not result.first_error:
                    result.first_error = f"{type(exc).__name__}: {exc}"[:500]
                continue
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.requests += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


class HTTPError(Exception):
    pass


async def http_get(host: str, port: int, path: str, *, check_json: bool = True) -> bytes:
    """One GET on a fresh connection; the body, or HTTPError unless the status is 200."""
    reader, writer = await asyncio.open_connection(host, port)
    accept = "application/json" if check_json else "*/*"
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n".encode())
        data = await reader.read()
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0]
    parts = status_line.split()
    if len(parts) < 2 or parts[1] != b"200":
        raise HTTPError(f"GET {path}: {status_line.decode(errors='replace')} {body[:200]!r}")
    if b"transfer-encoding: chunked" in head.lower():
        body = _dechunk(body)
    if check_json and not body.startswith((b"{", b"[")):
        raise HTTPError(f"GET {path}: not JSON: {body[:200]!r}")
    return body


def _dechunk(data: bytes) -> bytes:
    """The body of a chunked response (linear: a CSV export arrives as one chunk per row)."""
    out, position = [], 0
    while position < len(data):
        end = data.index(b"\r\n", position)
        size = int(data[position:end].split(b";")[0], 16)
        if size == 0:
            break
        out.append(data[end + 2 : end + 2 + size])
        position = end + 2 + size + 2
    return b"".join(out)


def http_run(
    host: str, port: int, path: str, *, concurrency: int, seconds: float, max_requests: int, check_json: bool = True
) -> RunResult:
    """GET ``path`` in a closed loop; every answer must be a 200 (and JSON unless ``check_json`` is off: pages)."""

    async def one(index, state):
        await http_get(host, port, path, check_json=check_json)

    return asyncio.run(_closed_loop(concurrency, seconds, max_requests, one))


def sql_run(dsn: str, sql: str, params, *, concurrency: int, seconds: float, max_requests: int) -> RunResult:
    """Run ``sql`` in a closed loop on ``concurrency`` connections, fetching every row."""
    import psycopg

    async def main():
        connections = [await psycopg.AsyncConnection.connect(dsn, autocommit=True) for _ in range(concurrency)]
        try:
            for conn in connections:  # warm: the first execution plans and caches
                async with conn.cursor() as cur:
                    await cur.execute(sql, params)
                    await cur.fetchall()

            async def one(index, state):
                async with connections[index].cursor() as cur:
                    await cur.execute(sql, params)
                    rows = await cur.fetchall()
                    if rows is None:
                        raise RuntimeError("no rows")

            return await _closed_loop(concurrency, seconds, max_requests, one)
        finally:
            for conn in connections:
                await conn.close()

    return asyncio.run(main())
