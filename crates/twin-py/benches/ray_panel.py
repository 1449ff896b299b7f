"""Panel throughput through Ray with one and two local workers, and each worker's peak memory
for two cohort sizes (docs/BENCHMARKS.md, "Panel runs on Ray").

    target/py-venv/bin/python crates/twin-py/benches/ray_panel.py [--copies 4 8] [--members 200]

The cohort is the twelve demo patients copied under new ids (``--copies`` each size), written
as a Bulk Data folder. Each run gets a fresh work folder and a fresh cluster (a head with no
CPUs and N one-CPU workers); the time is the driver's, start to end, cluster start excluded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from cardiotwin.local_cluster import LocalCluster

ROOT = Path(__file__).resolve().parents[3]


def write_cohort(copies: int, out: Path) -> int:
    """The demo bundles ``copies`` times, each copy's patient under a new id."""
    lines: dict[str, list[str]] = defaultdict(list)
    n = 0
    for copy in range(copies):
        for path in sorted((ROOT / "assets" / "demo").glob("*.json")):
            text = path.read_text()
            bundle = json.loads(text)
            patient = next(e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
            new = f"{patient}-c{copy}"
            bundle = json.loads(
                text.replace(f'"{patient}"', f'"{new}"').replace(f"Patient/{patient}", f"Patient/{new}")
            )
            for entry in bundle["entry"]:
                r = entry["resource"]
                if r["resourceType"] != "Patient":
                    r["id"] = f"{r.get('id', 'r')}-c{copy}"
                lines[r["resourceType"]].append(json.dumps(r, separators=(",", ":")))
            n += 1
    out.mkdir(parents=True, exist_ok=True)
    for kind, rows in lines.items():
        (out / f"{kind}.ndjson").write_text("\n".join(rows) + "\n")
    return n


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def task_workers(cluster: LocalCluster) -> list[int]:
    """The processes running tasks (Ray's `default_worker.py`) on the cluster's workers."""
    pids = []
    for node in cluster.workers:
        for pid in node.pids():
            try:
                if b"default_worker.py" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    pids.append(pid)
            except OSError:
                continue
    return pids


def run(cohort: Path, workers: int, buckets: int, members: int, scratch: Path) -> dict[str, float]:
    with LocalCluster(scratch / f"logs-{workers}").start(workers=workers) as cluster:
        peak = 0
        stop = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max([peak, *(rss_kib(p) for p in task_workers(cluster))])
                time.sleep(0.2)

        watcher = threading.Thread(target=watch)
        watcher.start()
        out = scratch / f"out-{workers}-{cohort.name}.parquet"
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "cardiotwin.panel", "--address", cluster.address, "--in", str(cohort),
             "--out", str(out), "--buckets", str(buckets), "--members", str(members), "--as-of", "2026-12-01",
             "--scenario", "current", "--scenario", str(ROOT / "assets/scenarios/add-amlodipine-80.json")],
            check=True, capture_output=True,
        )  # fmt: skip
        seconds = time.monotonic() - started
        stop.set()
        watcher.join()
    return {"seconds": seconds, "peak_worker_rss_mib": peak / 1024}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--copies", type=int, nargs="+", default=[4, 8])
    p.add_argument("--members", type=int, default=200)
    p.add_argument("--buckets", type=int, default=24)
    args = p.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="cardiotwin-ray-bench-"))
    print(f"{'patients':>8} {'workers':>7} {'seconds':>8} {'patients/s':>10} {'peak RSS/worker MiB':>20}")
    for copies in args.copies:
        cohort = scratch / f"cohort-{copies}"
        n = write_cohort(copies, cohort)
        for workers in (1, 2):
            r = run(cohort, workers, args.buckets, args.members, scratch)
            print(
                f"{n:>8} {workers:>7} {r['seconds']:>8.1f} {n / r['seconds']:>10.2f} {r['peak_worker_rss_mib']:>20.0f}"
            )


if __name__ == "__main__":
    main()
