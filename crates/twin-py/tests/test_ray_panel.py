"""The Ray runner against a real local cluster (a head and two workers, separate processes):
one worker killed mid-run, and the result still equals the single-machine run row for row;
a cluster that cannot be reached ends with a plain message and the work kept for resume.

The run is small (the twelve demo patients, small ensembles) so it fits two cores in minutes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from cardiotwin.local_cluster import LocalCluster, free_port
from cardiotwin.panel import attempts
from conftest import AS_OF, ROOT, SCENARIOS

BUCKETS = 12
RUN = ["--buckets", str(BUCKETS), "--members", "200", "--seed", "7", "--as-of", AS_OF]
SCENARIO_ARGS = ["--scenario", "current", "--scenario", str(SCENARIOS / "add-amlodipine-80.json")]


def cardiotwin_bin() -> Path:
    explicit = os.environ.get("CARDIOTWIN_BIN")
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "cardiotwin"


def ray_panel(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cardiotwin.panel", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, RAY_USAGE_STATS_ENABLED="0"),
    )


@pytest.fixture(scope="module")
def single_run(bulk_export: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``cardiotwin panel`` on the same input: the reference, and the summary it printed."""
    out = tmp_path_factory.mktemp("single") / "panel.parquet"
    run = subprocess.run(
        [str(cardiotwin_bin()), "panel", "--in", str(bulk_export), *SCENARIO_ARGS, "--out", str(out), *RUN],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return out, run.stdout.replace(str(out), "OUT")


@pytest.fixture(scope="module")
def single_machine(single_run: tuple[Path, str]) -> Path:
    return single_run[0]


def kill_a_worker_mid_task(cluster: LocalCluster, work: Path, driver: subprocess.Popen[str]) -> int:
    """Waits for a task to start on worker 1, freezes the worker, and kills it if that task's
    part is not yet published (so the task is surely in flight); answers the bucket it lost."""
    victim = cluster.workers[0]
    deadline = time.monotonic() + 300
    seen: set[Path] = set()
    while time.monotonic() < deadline and driver.poll() is None:
        for note in sorted((work / "attempts").glob("*.json")) if (work / "attempts").exists() else []:
            if note in seen:
                continue
            seen.add(note)
            attempt = json.loads(note.read_text())
            if not victim.owns(attempt["pid"]):
                continue
            pids = victim.pids()
            for pid in pids:
                os.kill(pid, signal.SIGSTOP)
            part = work / "parts" / f"{attempt['bucket']:05d}.parquet"
            if not part.exists():
                victim.kill()
                return int(attempt["bucket"])
            for pid in pids:
                os.kill(pid, signal.SIGCONT)
        time.sleep(0.05)
    pytest.fail("no task ran on worker 1 before the run ended")


def test_ray_run_survives_a_lost_worker_and_equals_the_single_machine_run(
    bulk_export: Path, single_run: tuple[Path, str], tmp_path: Path
) -> None:
    single_machine, single_summary = single_run
    out, work = tmp_path / "ray.parquet", tmp_path / "work"
    with LocalCluster(tmp_path / "ray-logs").start(workers=2) as cluster:
        driver = ray_panel(
            "--address", cluster.address, "--in", str(bulk_export), *SCENARIO_ARGS, "--out", str(out),
            "--work", str(work), *RUN,
        )  # fmt: skip
        try:
            lost = kill_a_worker_mid_task(cluster, work, driver)
            stdout, stderr = driver.communicate(timeout=600)
        finally:
            if driver.poll() is None:
                driver.kill()
    assert driver.returncode == 0, stderr
    # The lost bucket ran again, on the worker left, and was written once.
    assert attempts(work)[lost] >= 2, stderr
    assert "retried" in stderr and " 0 retried" not in stderr
    ray_rows, single_rows = pq.read_table(out), pq.read_table(single_machine)
    assert ray_rows.num_rows > 0
    assert ray_rows.equals(single_rows), "the Ray run's rows differ from cardiotwin panel's"
    # The same summary, word for word.
    assert stdout.replace(str(out), "OUT") == single_summary


def test_an_unreachable_cluster_is_a_plain_message_and_the_partition_is_kept(bulk_export: Path, tmp_path: Path) -> None:
    out, work = tmp_path / "ray.parquet", tmp_path / "work"
    driver = ray_panel(
        "--address", f"127.0.0.1:{free_port()}", "--in", str(bulk_export), *SCENARIO_ARGS, "--out", str(out),
        "--work", str(work), *RUN,
    )  # fmt: skip
    _, stderr = driver.communicate(timeout=120)
    assert driver.returncode == 3
    assert "no Ray cluster answers at 127.0.0.1:" in stderr
    assert "run the same command again to resume" in stderr
    assert "Traceback" not in stderr
    assert (work / "partition.json").exists() and not out.exists()


def test_bad_arguments_are_refused_before_any_cluster_is_asked(bulk_export: Path, tmp_path: Path) -> None:
    driver = ray_panel(
        "--address", "127.0.0.1:1", "--in", str(bulk_export), "--out", str(tmp_path / "x.parquet"),
        "--scenario", str(tmp_path / "missing.json"), *RUN,
    )  # fmt: skip
    _, stderr = driver.communicate(timeout=120)
    assert driver.returncode == 2
    assert "missing.json" in stderr and "Traceback" not in stderr


def test_a_cluster_that_dies_keeps_the_parts_and_the_rerun_resumes(
    bulk_export: Path, single_machine: Path, tmp_path: Path
) -> None:
    out, work = tmp_path / "ray.parquet", tmp_path / "work"
    args = ["--in", str(bulk_export), *SCENARIO_ARGS, "--out", str(out), "--work", str(work), *RUN]
    with LocalCluster(tmp_path / "ray-logs-1").start(workers=1) as cluster:
        driver = ray_panel("--address", cluster.address, *args)
        try:
            deadline = time.monotonic() + 300
            while not list((work / "parts").glob("*.parquet")) if (work / "parts").exists() else True:
                assert time.monotonic() < deadline and driver.poll() is None, "no part was written"
                time.sleep(0.1)
            cluster.stop()  # the whole cluster, head included, at once
            _, stderr = driver.communicate(timeout=180)
        finally:
            if driver.poll() is None:
                driver.kill()
    assert driver.returncode == 3, stderr
    assert "stopped answering" in stderr and "run the same command again to resume" in stderr
    assert "Traceback" not in stderr
    kept = {p.name for p in (work / "parts").glob("*.parquet")}
    assert 0 < len(kept) < BUCKETS and not out.exists()

    with LocalCluster(tmp_path / "ray-logs-2").start(workers=1) as cluster:
        rerun = subprocess.run(
            [sys.executable, "-m", "cardiotwin.panel", "--address", cluster.address, *args],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert "done earlier" in rerun.stderr
    # The parts kept were not run again.
    counts = attempts(work)
    assert all(counts[int(name.split(".")[0])] == 1 for name in kept)
    assert pq.read_table(out).equals(pq.read_table(single_machine))
