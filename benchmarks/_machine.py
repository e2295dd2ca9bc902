"""Shared by the bench_* scripts: the machine and library versions they print, the
round-robin timer, and random points on an area."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import platform
import subprocess
import time
from collections.abc import Callable
from typing import Any


def machine_lines(packages: list[str]) -> list[str]:
    """Markdown bullet lines: CPU, cores, load, OS, and the versions of ``packages``."""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        lscpu = ""
    info = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
    model = info.get("Model name", platform.processor() or "?").strip()
    cores = info.get("Core(s) per socket", "?").strip()
    threads = info.get("Thread(s) per core", "?").strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    versions = []
    for name in packages:
        module = importlib.import_module(name)
        number = getattr(module, "__version__", None) or importlib.metadata.version(name)
        version = f"{name} {number}"
        if name == "shapely":
            version += f" (GEOS {module.geos_version_string})"
        versions.append(version)
    return [
        f"- CPU: {model}; nproc = {os.cpu_count()}; cores per socket {cores}, "
        f"threads per core {threads}; load average (1 min) at start {load:.2f}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python {platform.python_version()}; " + "; ".join(versions),
    ]


def timed(
    methods: dict[str, Callable[[], Any]], repeats: int
) -> dict[str, tuple[list[float], Any]]:
    """Each method once to warm up, then ``repeats`` rounds running every method in turn (so
    that a change in the machine's load hits all methods alike). Times and last output."""
    out: dict[str, tuple[list[float], Any]] = {}
    for label, fn in methods.items():
        fn()  # imports, caches, first-call costs
        out[label] = ([], None)
    for _ in range(repeats):
        for label, fn in methods.items():
            start = time.perf_counter()
            result = fn()
            out[label][0].append(time.perf_counter() - start)
            out[label] = (out[label][0], result)
            del result
    return out


def points_on(rng: Any, area: Any, n: int) -> Any:
    """``n`` points drawn uniformly on ``area`` (a shapely geometry), as an (n, 2) array:
    uniform points in the bounding box, those on the area kept, until there are ``n``."""
    import numpy as np
    import shapely

    shapely.prepare(area)
    x0, y0, x1, y1 = area.bounds
    out, have = [], 0
    while have < n:
        xy = np.column_stack([rng.uniform(x0, x1, 2 * n), rng.uniform(y0, y1, 2 * n)])
        keep = shapely.contains_xy(area, xy[:, 0], xy[:, 1])
        out.append(xy[keep])
        have += int(keep.sum())
    return np.concatenate(out)[:n]
