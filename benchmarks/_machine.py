"""Machine and library versions printed by every benchmark (shared by the bench_* scripts)."""

from __future__ import annotations

import importlib
import os
import platform
import subprocess


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
        version = f"{name} {module.__version__}"
        if name == "shapely":
            version += f" (GEOS {module.geos_version_string})"
        versions.append(version)
    return [
        f"- CPU: {model}; nproc = {os.cpu_count()}; cores per socket {cores}, "
        f"threads per core {threads}; load average (1 min) at start {load:.2f}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python {platform.python_version()}; " + "; ".join(versions),
    ]
