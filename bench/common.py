"""Shared by the benchmarks: Django set up against DATABASE_URL (the scale database), timing, query counts, output.

Each benchmark prints ``name: figure (baseline: figure, ratio N.NN×) [target]`` and appends a JSON line to
``var/bench/results.jsonl`` so docs/performance.md can quote the run.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partybuild.settings")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

RESULTS = ROOT / "var" / "bench" / "results.jsonl"


def timed(fn: Callable[[], Any], *, repeat: int = 5, warmup: int = 1) -> tuple[float, Any]:
    """Median wall time in seconds over ``repeat`` runs after ``warmup`` runs, and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def timed_pair(
    app: Callable[[], Any],
    baseline: Callable[[], Any],
    *,
    repeat: int = 7,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[float, float, Any]:
    """Medians of ``app`` and ``baseline`` run alternately (after one warm-up each), and app's last result.

    The machine is shared: alternating the two puts both under the same background load, so the ratio stays
    meaningful when the absolute figures move (a burst of someone else's tests hits both, not one of them).
    ``clock=time.process_time`` measures this process's CPU time instead: other processes' load does not enter it,
    but neither does the time the database server spends on the app's queries.
    """
    baseline()
    result = app()
    app_times, base_times = [], []
    for _ in range(repeat):
        start = clock()
        baseline()
        base_times.append(clock() - start)
        start = clock()
        result = app()
        app_times.append(clock() - start)
    return statistics.median(app_times), statistics.median(base_times), result


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def report(
    name: str, seconds: float, baseline: float, *, target: str = "", ok: bool | None = None, **extra: Any
) -> None:
    ratio = seconds / baseline if baseline > 0 else float("inf")
    verdict = "" if ok is None else (" OK" if ok else " MISSED")
    parts = [f"{name}: {fmt_seconds(seconds)} (baseline {fmt_seconds(baseline)}, ratio {ratio:.2f}×)"]
    if extra:
        parts.append(" ".join(f"{k}={v}" for k, v in extra.items()))
    if target:
        parts.append(f"[target {target}{verdict}]")
    print("  ".join(parts), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(
            json.dumps(
                {
                    "at": datetime.now().isoformat(timespec="seconds"),
                    "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
                    "database": os.environ.get("DATABASE_URL", "sqlite"),
                    "name": name,
                    "seconds": round(seconds, 5),
                    "baseline_seconds": round(baseline, 5),
                    "ratio": round(ratio, 3),
                    "target": target,
                    "ok": ok,
                    **extra,
                },
                ensure_ascii=False,
            )
            + "\n"
        )
