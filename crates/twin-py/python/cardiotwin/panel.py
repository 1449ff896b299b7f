"""``python -m cardiotwin.panel --address ADDRESS ...``: ``cardiotwin panel`` on a Ray cluster.

The same arguments, summary and result file as ``cardiotwin panel``: the driver partitions the
input (pass 1, on this machine), each bucket of patients is one Ray task (pass 2), and the
driver merges the parts (pass 3). A task publishes its part by an atomic rename and keeps a part
already there, so a task retried after its worker was lost (``--max-retries``) never writes
twice, and a run stopped part-way resumes where it stopped when run again with the same
arguments. Seeds derive from (run seed, patient id, scenario), so the rows are those of the
single-machine run, value for value. The work folder must be on storage every worker sees.

Each attempt of a task leaves a note in ``WORK/attempts/`` (bucket, node, process, time): the
driver counts the retries from them, and they tell afterwards where each bucket ran.

Batch size: a bucket is a task. ``cardiotwin panel``'s default (one bucket per 32 MB of NDJSON,
a few hundred patients) gives 10³–10⁴ tasks for a night of 10⁶ patients: Ray's per-task cost
(milliseconds) is lost in minutes of work, and a lost worker loses one bucket's minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import shutil
import socket
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import _native
from .errors import CardioTwinError
from .panel_batch import (
    DEFAULT_MEMBERS,
    DEFAULT_MONTHS,
    DEFAULT_SEED,
    PanelOptions,
    check_run,
    default_buckets,
    default_work,
    finish,
    part_path,
    partition,
    run_bucket,
)

#: How often the driver looks at the cluster while no task finishes, seconds.
WATCH_EVERY_S = 5.0
#: The head unreachable this many looks in a row: the cluster is gone. (Ray ends a driver whose
#: head has been away for 60 s without a word; this says what happened, and what is kept, first.)
HEAD_LOST_AFTER = 3
#: No CPU in the cluster for this long: every worker is gone, and the tasks would wait forever.
NO_WORKERS_FOR_S = 60.0
#: Malformed lines printed by file and line, as ``cardiotwin panel`` prints them.
PRINTED_PROBLEMS = 10

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CLUSTER = 3


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m cardiotwin.panel",
        description="cardiotwin panel with each bucket of patients a Ray task: the same arguments, summary and result.",
    )
    p.add_argument("--address", required=True, help="the Ray cluster's head, HOST:PORT (or 'auto')")
    p.add_argument("--in", dest="in_dir", required=True, type=Path, help="FHIR Bulk Data folder (NDJSON)")
    p.add_argument(
        "--scenario",
        action="append",
        required=True,
        help="'current' (today's treatment) or a scenario file (docs/SCENARIOS.md); repeat for each",
    )
    p.add_argument("--out", required=True, type=Path, help="the result, a Parquet file (PHI)")
    p.add_argument(
        "--work",
        type=Path,
        help="work folder on storage every worker sees (default: OUT.work, removed after a finished run)",
    )
    p.add_argument("--buckets", type=int, help="buckets, one Ray task each (default: one per 32 MB, at least 16)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the run's seed")
    p.add_argument("--members", type=int, default=DEFAULT_MEMBERS, help="ensemble members per scenario")
    p.add_argument("--months", type=int, default=DEFAULT_MONTHS, help="months projected (at least 120)")
    p.add_argument(
        "--as-of", default=os.environ.get("CARDIOTWIN_AS_OF"), help="the records' day, YYYY-MM-DD (default: today)"
    )
    p.add_argument(
        "--guidelines",
        choices=("esc", "acc-aha"),
        default="esc",
        help="whose targets the suggested plans aim at (default esc), as in the app's settings",
    )
    p.add_argument("--max-retries", type=int, default=3, help="retries of a task whose worker was lost (default 3)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format of the summary")
    return p.parse_args(argv)


def _record_attempt(work: Path, bucket: int) -> None:
    import ray

    note = {
        "bucket": bucket,
        "node": ray.get_runtime_context().get_node_id(),
        "pid": os.getpid(),
        "started": time.time(),
    }
    folder = work / "attempts"
    folder.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed, so whoever lists `*.json` (``attempts``, a watcher) never reads a
    # note half-written.
    name = f"{bucket:05d}.{uuid.uuid4().hex}.json"
    partial = folder / f"{name}.partial"
    partial.write_text(json.dumps(note))
    os.replace(partial, folder / name)


def _bucket_task(work: str, bucket: int, scenarios: list[str], options: PanelOptions) -> str:
    """One Ray task: one bucket's part."""
    _record_attempt(Path(work), bucket)
    return os.fspath(run_bucket(work, bucket, scenarios, options))


def attempts(work: Path) -> dict[int, int]:
    """Attempts per bucket, from the notes the tasks left."""
    counts: dict[int, int] = {}
    for note in (work / "attempts").glob("*.json"):
        bucket = int(note.name.split(".", 1)[0])
        counts[bucket] = counts.get(bucket, 0) + 1
    return counts


def _head_reachable(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=3):
            return True
    except (OSError, ValueError):
        return False


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _stop(message: str, code: int) -> int:
    _say(f"panel: {message}")
    return code


def _kept(done: int, total: int, work: Path) -> str:
    return f"{done} of {total} buckets are done and kept in {work}; run the same command again to resume"


def _progress_line(done: int, total: int, earlier: int, started: float) -> str:
    """As ``cardiotwin panel`` says it: patients done of this run's, the rate, the time left."""
    rate = done / max(time.monotonic() - started, 1e-9)
    left = f"about {_words((total - done) / rate)} left" if rate > 0 else "time left unknown"
    earlier_words = f" (+{earlier} done earlier)" if earlier else ""
    return f"panel: {done}/{total} patients{earlier_words}, {rate:.2f} patients/s, {left}"


def _words(seconds: float) -> str:
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {(s % 3600) // 60} min"


def _print_partition(p: dict[str, Any]) -> None:
    how = "already partitioned" if p.get("reused") else "partitioned"
    _say(
        f"panel: {how}: {sum(p['patients_per_bucket'])} patients, {p['resources']} resources from {p['files']} files"
        f" into {p['buckets']} buckets; {p['malformed']} malformed lines skipped"
    )


def _print_summary(s: dict[str, Any]) -> None:
    """As ``cardiotwin panel`` prints it."""
    print(f"wrote {s['rows']} rows for {s['patients']} patients to {s['out']} (PHI: keep it as the export is kept)")
    if not s["skipped"]:
        print("skipped: none")
    for code, n in s["skipped"].items():
        known = _native.skip_reason(code)
        words, per = (known[0], "patient × scenario" if known[1] else "patients") if known else ("", "rows")
        print(f"skipped {n} {per}: {code} ({words})")
    if s["malformed_lines"] > 0:
        print(f"malformed lines skipped: {s['malformed_lines']}")
        for p in s["malformed_listed"][:PRINTED_PROBLEMS]:
            print(f"  {p['file']}:{p['line']}: {p['reason']}")
    for kind, n in s["not_about_a_patient"].items():
        print(f"not about one patient, not used: {n} {kind}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work: Path = args.work or default_work(args.out)
    as_of = args.as_of or datetime.date.today().isoformat()
    guidelines = "accAha" if args.guidelines == "acc-aha" else "esc"
    options = PanelOptions(seed=args.seed, members=args.members, months=args.months, as_of=as_of, guidelines=guidelines)
    try:
        check_run(args.scenario, options)
        work.mkdir(parents=True, exist_ok=True)
        split = partition(args.in_dir, work, args.buckets or default_buckets(args.in_dir))
    except (CardioTwinError, OSError) as e:
        return _stop(str(e), EXIT_USAGE)
    _print_partition(split)
    todo = [b for b in range(split["buckets"]) if not part_path(work, b).exists()]
    if todo:
        # Ray's driver prints the cluster's notices (a lost node, a task retried) on stdout;
        # stdout is the summary's, as `cardiotwin panel`'s is, so they go to stderr with the progress.
        with contextlib.redirect_stdout(sys.stderr):
            code = _run_on_ray(args, work, todo, split, options)
        if code:
            return code
    try:
        summary = finish(work, args.out)
    except CardioTwinError as e:
        return _stop(str(e), EXIT_ERROR)
    counts = attempts(work)
    retried = sum(max(0, counts.get(b, 0) - 1) for b in todo)
    _say(f"panel: {len(todo)} buckets ran as Ray tasks; {retried} retried after a lost worker")
    if args.work is None:
        # The default work folder is this run's scratch space (it holds copies of the export).
        shutil.rmtree(work, ignore_errors=True)
    if args.format == "json":
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        _print_summary(summary)
    return 0


def _run_on_ray(
    args: argparse.Namespace, work: Path, todo: list[int], split: dict[str, Any], options: PanelOptions
) -> int:
    import ray
    from ray import exceptions as rex

    total = split["buckets"]
    done = total - len(todo)
    patients_in = split["patients_per_bucket"]
    patients_total = sum(patients_in)
    patients_done = patients_before = sum(patients_in[b] for b in range(total) if b not in set(todo))
    if args.address != "auto" and not _head_reachable(args.address):
        return _stop(f"no Ray cluster answers at {args.address}; {_kept(done, total, work)}", EXIT_CLUSTER)
    try:
        ray.init(address=args.address, logging_level="ERROR", log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as e:
        return _stop(
            f"the Ray cluster at {args.address} could not be joined ({e}); {_kept(done, total, work)}", EXIT_CLUSTER
        )

    task = ray.remote(num_cpus=1, max_retries=args.max_retries, retry_exceptions=False)(_bucket_task)
    pending = {task.remote(os.fspath(work), b, args.scenario, options): b for b in todo}
    failures: dict[int, str] = {}
    head_misses = 0
    no_workers_since: float | None = None
    started = time.monotonic()
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1, timeout=WATCH_EVERY_S)
        for ref in ready:
            bucket = pending.pop(ref)
            try:
                ray.get(ref)
            except rex.RayTaskError as e:
                failures[bucket] = str(getattr(e, "cause", None) or e).strip().splitlines()[-1]
                continue
            except (rex.WorkerCrashedError, rex.NodeDiedError, rex.ObjectLostError) as e:
                failures[bucket] = f"its worker was lost {args.max_retries + 1} times ({type(e).__name__})"
                continue
            done += 1
            patients_done += patients_in[bucket]
            _say(
                _progress_line(
                    patients_done - patients_before, patients_total - patients_before, patients_before, started
                )
            )
        if ready:
            head_misses, no_workers_since = 0, None
            continue
        # Nothing finished for a while: is there still a cluster to finish it?
        if args.address != "auto" and not _head_reachable(args.address):
            head_misses += 1
            if head_misses >= HEAD_LOST_AFTER:
                _stop(f"the Ray cluster at {args.address} stopped answering; {_kept(done, total, work)}", EXIT_CLUSTER)
                os._exit(EXIT_CLUSTER)  # ray.shutdown() would wait on the lost head
            continue
        head_misses = 0
        if ray.cluster_resources().get("CPU", 0) > 0:
            no_workers_since = None
        elif no_workers_since is None:
            no_workers_since = time.monotonic()
        elif time.monotonic() - no_workers_since > NO_WORKERS_FOR_S:
            ray.shutdown()
            message = f"no Ray worker has been in the cluster for {NO_WORKERS_FOR_S:.0f} s; {_kept(done, total, work)}"
            return _stop(message, EXIT_CLUSTER)
    ray.shutdown()
    if failures:
        for bucket, why in sorted(failures.items()):
            _say(f"panel: bucket {bucket}: {why}")
        return _stop(f"{len(failures)} buckets failed (listed above); {_kept(done, total, work)}", EXIT_ERROR)
    return 0


if __name__ == "__main__":
    sys.exit(main())
