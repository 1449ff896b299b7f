"""Panel runs on one machine from Python: the same file as ``cardiotwin panel``, the passes
callable one by one, and plain errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from cardiotwin import CardioTwinError, PanelOptions, finish, panel_batch, partition, run_bucket
from conftest import AS_OF, SCENARIOS

OPTIONS = PanelOptions(seed=7, members=200, as_of=AS_OF)
SCENARIO_SPECS = ["current", str(SCENARIOS / "add-amlodipine-80.json")]


def test_panel_batch_answers_the_rows_as_arrow_and_reruns_are_identical(bulk_export: Path, tmp_path: Path) -> None:
    table = panel_batch(bulk_export, tmp_path / "a.parquet", SCENARIO_SPECS, buckets=4, options=OPTIONS, threads=2)
    assert table.num_rows == 24  # twelve patients × two scenarios
    assert {"skip_reason"} <= set(table.column_names)
    again = panel_batch(bulk_export, tmp_path / "b.parquet", SCENARIO_SPECS, buckets=6, options=OPTIONS, threads=1)
    # Another bucket count and thread count: the same rows (seeds follow the patient, not the bucket).
    assert again.equals(table)


def test_the_passes_one_by_one_keep_a_finished_part(bulk_export: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    split = partition(bulk_export, work, 3)
    assert split["buckets"] == 3 and sum(split["patients_per_bucket"]) == 12 and not split["reused"]
    assert partition(bulk_export, work, 3)["reused"]
    part = run_bucket(work, 0, SCENARIO_SPECS, OPTIONS)
    written = part.stat().st_mtime_ns
    assert run_bucket(work, 0, SCENARIO_SPECS, OPTIONS) == part and part.stat().st_mtime_ns == written
    with pytest.raises(CardioTwinError):
        finish(work, tmp_path / "early.parquet")  # buckets 1 and 2 are not done
    for bucket in (1, 2):
        run_bucket(work, bucket, SCENARIO_SPECS, OPTIONS)
    summary = finish(work, tmp_path / "out.parquet")
    assert summary["rows"] == pq.read_metadata(tmp_path / "out.parquet").num_rows == 24


def test_bad_input_is_a_plain_error(bulk_export: Path, tmp_path: Path) -> None:
    with pytest.raises(CardioTwinError) as no_input:
        partition(tmp_path / "empty", tmp_path / "w", 4)
    assert "empty" in str(no_input.value)
    with pytest.raises(CardioTwinError) as few_months:
        panel_batch(bulk_export, tmp_path / "x.parquet", ["current"], options=PanelOptions(months=12, as_of=AS_OF))
    assert "months" in str(few_months.value)
    with pytest.raises(CardioTwinError) as bad_scenario:
        panel_batch(bulk_export, tmp_path / "x.parquet", [str(tmp_path / "nope.json")], options=OPTIONS)
    assert "nope.json" in str(bad_scenario.value)


def test_plans_follow_the_chosen_guideline_set_and_each_row_names_it(bulk_export: Path, tmp_path: Path) -> None:
    acc = PanelOptions(seed=7, members=100, as_of=AS_OF, guidelines="accAha")
    table = panel_batch(bulk_export, tmp_path / "acc.parquet", ["current"], buckets=2, options=acc, threads=2)
    assert set(table.column("plan_guidelines").to_pylist()) == {"accAha"}
    with pytest.raises(CardioTwinError) as bad:
        panel_batch(bulk_export, tmp_path / "x.parquet", ["current"], options=PanelOptions(as_of=AS_OF, guidelines="nice"))
    assert "guidelines" in str(bad.value)
