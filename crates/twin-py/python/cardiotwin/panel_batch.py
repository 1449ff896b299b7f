"""Panel runs on one machine, and the three passes the Ray runner distributes.

A panel run is three passes over a FHIR Bulk Data folder (NDJSON, as ``$export`` writes it):
``partition`` streams it into bucket files of whole patients, ``run_bucket`` runs every patient
of one bucket under every scenario into its own Parquet part (published by an atomic rename, so
a retried bucket never writes twice, and a part already there is kept), and ``finish`` merges
the parts into one Parquet file sorted by patient and scenario. Seeds derive from (run seed,
patient id, scenario name), so the result is the same whatever ran the buckets: this module's
threads, ``cardiotwin panel``'s rayon, or Ray tasks.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from . import _native

#: Defaults, as ``cardiotwin panel``'s (buckets: ``default_buckets``).
DEFAULT_SEED = 1
DEFAULT_MEMBERS = 1000
DEFAULT_MONTHS = 120

StrPath = str | os.PathLike[str]


@dataclass(frozen=True)
class PanelOptions:
    """The ensemble and day every patient is projected with. ``as_of`` pins the day the
    records are read on (ages, active medications, month 0); ``guidelines`` names whose targets
    the suggested plans aim at (``"esc"`` or ``"accAha"``, as the app's settings store them)."""

    seed: int = DEFAULT_SEED
    members: int = DEFAULT_MEMBERS
    months: int = DEFAULT_MONTHS
    as_of: str | _dt.date = field(default_factory=_dt.date.today)
    guidelines: str = "esc"

    @property
    def as_of_text(self) -> str:
        return self.as_of.isoformat() if isinstance(self.as_of, _dt.date) else self.as_of


def check_run(scenarios: Sequence[str], options: PanelOptions) -> list[str]:
    """Checks the scenarios (``current`` or scenario files' paths) and options; answers the
    scenarios' names. Raises ``CardioTwinError`` naming what is wrong."""
    o = options
    return _native.check_run(list(scenarios), o.seed, o.members, o.months, o.as_of_text, o.guidelines)


def default_buckets(in_dir: StrPath) -> int:
    """``cardiotwin panel``'s bucket count for ``in_dir``: one per 32 MB of NDJSON, at least 16."""
    return _native.default_buckets(os.fspath(in_dir))


def default_work(out: StrPath) -> Path:
    """``cardiotwin panel``'s work folder for ``out``: ``results.parquet`` → ``results.parquet.work``."""
    return Path(f"{os.fspath(out)}.work")


def partition(in_dir: StrPath, work: StrPath, buckets: int) -> dict[str, Any]:
    """Pass 1. Answers the partition's summary: patients per bucket, malformed lines by file
    and line, whether an earlier partition of the same input was reused."""
    return json.loads(_native.partition(os.fspath(in_dir), os.fspath(work), buckets))


def part_path(work: StrPath, bucket: int) -> Path:
    """Where bucket ``bucket``'s part is published (``work/parts/NNNNN.parquet``)."""
    return Path(work) / "parts" / f"{bucket:05d}.parquet"


def run_bucket(work: StrPath, bucket: int, scenarios: Sequence[str], options: PanelOptions) -> Path:
    """Pass 2 for one bucket; answers its part's path. A part already published is kept."""
    o = options
    path = _native.run_bucket(
        os.fspath(work), bucket, list(scenarios), o.seed, o.members, o.months, o.as_of_text, o.guidelines
    )
    return Path(path)


def finish(work: StrPath, out: StrPath) -> dict[str, Any]:
    """Pass 3: the parts into ``out`` (atomic). Answers the run's summary, with skipped
    patients counted per reason."""
    return json.loads(_native.finish(os.fspath(work), os.fspath(out)))


def panel_batch(
    in_dir: StrPath,
    out: StrPath,
    scenarios: Sequence[str] = ("current",),
    *,
    work: StrPath | None = None,
    buckets: int | None = None,
    options: PanelOptions | None = None,
    threads: int | None = None,
) -> pa.Table:
    """A whole panel run on this machine (buckets on ``threads`` threads; the GIL is released
    while each runs); answers the result as an Arrow table (it is also in ``out``)."""
    options = options or PanelOptions()
    check_run(scenarios, options)
    work = Path(work) if work is not None else default_work(out)
    summary = partition(in_dir, work, buckets or default_buckets(in_dir))
    with ThreadPoolExecutor(max_workers=threads or os.cpu_count() or 1) as pool:
        list(pool.map(lambda b: run_bucket(work, b, scenarios, options), range(summary["buckets"])))
    finish(work, out)
    return pq.read_table(out)
