"""A real Ray cluster on this machine, as separate processes: a head that runs no tasks and
workers with one CPU each, every one its own process group, so a test can kill one worker
outright (as a machine lost overnight) and clean up every process it started, and nothing else.
Used by the tests and the benchmark; Linux only (it reads ``/proc``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self

#: Object store per node, bytes: tasks pass only paths, so the smallest Ray allows is plenty,
#: and two-core machines keep their memory.
OBJECT_STORE_BYTES = 80_000_000
#: How long a node may take to start (a cold start on two busy cores is about 10 s).
START_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ray() -> str:
    return str(Path(sys.executable).with_name("ray"))


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra or {})
    return env


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command may hold spaces and parentheses: fields follow the last ')'.
    return int(stat.rsplit(")", 1)[1].split()[1])


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


@dataclass
class Node:
    """One ``ray start --block`` process and everything it starts."""

    process: subprocess.Popen[bytes]
    log: Path

    def pids(self) -> set[int]:
        """Every process of this node: its process group, and the task workers its raylet
        started (Ray puts each in a session of its own)."""
        group = set()
        for pid in _all_pids():
            try:
                if os.getpgid(pid) == self.process.pid:
                    group.add(pid)
            except ProcessLookupError:
                continue
        found = set(group)
        grew = True
        while grew:
            children = {pid for pid in _all_pids() if _ppid(pid) in found} - found
            found |= children
            grew = bool(children)
        return found

    def owns(self, pid: int) -> bool:
        """Whether process ``pid`` belongs to this node."""
        return pid in self.pids()

    def kill(self) -> None:
        """Kills every process of the node at once (SIGKILL): no goodbye to the cluster."""
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=30)


class LocalCluster:
    """A head (no CPUs: the driver's side) plus workers added one at a time."""

    def __init__(self, logs: Path | None = None) -> None:
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.logs = logs or Path(tempfile.mkdtemp(prefix="cardiotwin-ray-"))
        self.logs.mkdir(parents=True, exist_ok=True)
        self.head: Node | None = None
        self.workers: list[Node] = []

    def _start(self, name: str, args: list[str], extra_env: dict[str, str] | None = None) -> Node:
        log = self.logs / f"{name}.log"
        process = subprocess.Popen(
            [_ray(), "start", "--block", f"--object-store-memory={OBJECT_STORE_BYTES}", *args],
            env=_env(extra_env),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        node = Node(process, log)
        deadline = time.monotonic() + START_TIMEOUT_S
        while b"Ray runtime started" not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                node.kill()
                raise RuntimeError(f"ray start ({name}) did not come up; see {log}")
            time.sleep(0.2)
        return node

    def start(self, workers: int = 0) -> Self:
        # A lost node is noticed after 1 s × 3 missed health checks instead of Ray's 3 s × 5.
        self.head = self._start(
            "head",
            ["--head", f"--port={self.port}", "--num-cpus=0", "--include-dashboard=false", "--disable-usage-stats"],
            {"RAY_health_check_period_ms": "1000", "RAY_health_check_failure_threshold": "3"},
        )
        for _ in range(workers):
            self.add_worker()
        return self

    def add_worker(self) -> Node:
        node = self._start(f"worker-{len(self.workers) + 1}", [f"--address={self.address}", "--num-cpus=1"])
        self.workers.append(node)
        return node

    def stop(self) -> None:
        """Kills every process this cluster started (workers first, then the head)."""
        for node in [*self.workers, *([self.head] if self.head else [])]:
            node.kill()
        self.workers.clear()
        self.head = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
