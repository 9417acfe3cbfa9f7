"""The load test's report: Locust's per-page statistics joined with what the app said
about each response (statements run, server time), as a markdown table. Plain data in,
text out, so it is tested without a server."""

import statistics
from dataclasses import dataclass

# The targets for 50 concurrent users on the 2-core machine.
TARGET_RPS = 300
TARGET_P99_MS = 300
TARGET_BUSY_THREAD_MS = 20
BUSY_THREAD = "thread, 50 answers"
TOTAL = "Aggregated"


@dataclass(frozen=True)
class PageRow:
    page: str
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    queries: str  # statements per response: "12", or "10-14" when responses differ
    server_ms: float | None  # median of the app's own time (Server-Timing)
    kept_percent: float | None = None  # share served from the visitors' page cache
    built_ms: float | None = None  # median server time of the responses built, not kept


def page_rows(locust_stats: list[dict], seen: dict[str, dict[str, list[float]]]) -> list[PageRow]:
    """One row per page from Locust's `*_stats.csv` rows (the total last), with the query
    counts and server times the load script collected from the response headers."""
    rows = []
    for stat in locust_stats:
        name = stat["Name"]
        headers = seen.get(name, {})
        queries = sorted(int(q) for q in headers.get("queries", []))
        times = headers.get("server_ms", [])
        built = headers.get("built_ms", [])
        kept = headers.get("kept", [])
        rows.append(PageRow(
            page="all pages" if name == TOTAL else name,
            requests=int(stat["Request Count"]), errors=int(stat["Failure Count"]),
            rps=float(stat["Requests/s"]), p50_ms=float(stat["50%"]),
            p95_ms=float(stat["95%"]), p99_ms=float(stat["99%"]),
            queries=_span(queries), server_ms=statistics.median(times) if times else None,
            kept_percent=100 * statistics.mean(kept) if kept else None,
            built_ms=statistics.median(built) if built else None,
        ))
    rows.sort(key=lambda row: (row.page == "all pages", -row.requests))
    return rows


def markdown_table(rows: list[PageRow]) -> str:
    lines = ["| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors | queries "
             "| server ms (median) | visitor cache | built ms (median) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        server, built = _ms(row.server_ms), _ms(row.built_ms)
        kept = "-" if row.kept_percent is None else f"{row.kept_percent:.0f}%"
        page = f"**{row.page}**" if row.page == "all pages" else row.page
        lines.append(f"| {page} | {row.requests:,} | {row.rps:.1f} | {row.p50_ms:.0f} "
                     f"| {row.p95_ms:.0f} | {row.p99_ms:.0f} | {row.errors} | {row.queries} "
                     f"| {server} | {kept} | {built} |")
    return "\n".join(lines)


def verdict(rows: list[PageRow]) -> list[str]:
    """Each target of the issue, met or missed, in words."""
    total = next((row for row in rows if row.page == "all pages"), None)
    busy = next((row for row in rows if row.page == BUSY_THREAD), None)
    lines = []
    if total is not None:
        lines += [
            _line(f"{total.rps:.0f} requests/s overall", total.rps >= TARGET_RPS,
                  f">= {TARGET_RPS}"),
            _line(f"p99 {total.p99_ms:.0f} ms", total.p99_ms < TARGET_P99_MS,
                  f"< {TARGET_P99_MS} ms"),
            _line(f"{total.errors} errors", total.errors == 0, "zero"),
        ]
    if busy is not None and busy.built_ms is not None:
        # Judged on the pages the app built: a page handed back from the visitors' cache
        # takes a fraction of a millisecond, and with enough of them the median would be
        # met without building the page any faster.
        lines.append(_line(f"thread page with 50 answers: {busy.built_ms:.1f} ms median "
                           "server time, built pages only", busy.built_ms < TARGET_BUSY_THREAD_MS,
                           f"< {TARGET_BUSY_THREAD_MS} ms"))
    return lines


def failure_lines(locust_failures: list[dict]) -> list[str]:
    """Why requests failed, from Locust's `*_failures.csv` rows, most frequent first."""
    rows = sorted(locust_failures, key=lambda row: -int(row["Occurrences"]))
    return [f"- {row['Occurrences']} x {row['Name']} ({row['Method']}): {row['Error']}"
            for row in rows]


def _line(measured: str, met: bool, target: str) -> str:
    return f"- {measured} (target {target}): {'met' if met else 'missed'}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _span(values: list[int]) -> str:
    if not values:
        return "-"
    return str(values[0]) if values[0] == values[-1] else f"{values[0]}-{values[-1]}"
