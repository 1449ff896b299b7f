"""The single-patient use cases from Python: the app's own answers, as Python objects and
Arrow tables, and plain errors for bad input."""

from __future__ import annotations

import json
import threading
import time

import cardiotwin
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from cardiotwin import CardioTwinError, Twin
from conftest import AS_OF, DEMO, SCENARIOS


def test_from_bundle_reads_the_patient_on_the_pinned_day(bundle_text: str) -> None:
    twin = Twin.from_bundle(bundle_text, as_of=AS_OF)
    summary = twin.summary()
    assert summary["id"] == twin.id
    assert "Twin(id=" in repr(twin)
    # The same bundle as bytes or a parsed dict is the same patient.
    assert Twin.from_bundle(bundle_text.encode(), as_of=AS_OF).id == twin.id
    assert Twin.from_bundle(json.loads(bundle_text), as_of=AS_OF).id == twin.id


def test_simulate_answers_bands_as_an_arrow_table(bundle_text: str) -> None:
    twin = Twin.from_bundle(bundle_text, as_of=AS_OF)
    projection = twin.simulate(SCENARIOS / "add-amlodipine-80.json", months=24, members=100, seed=3)
    assert projection.data["members"] == 100 and projection.data["months"] == 24
    table = projection.table()
    assert isinstance(table, pa.Table)
    assert table.column_names == ["scenario", "output", "unit", "month", "p5", "p50", "p95"]
    sbp = table.filter(pc.equal(table["output"], "sbp"))
    assert sbp.num_rows == len(projection.data["outputs"][0]["p50"])
    # Uncertainty is shown: the band holds the median, and is not a line.
    p5, p50, p95 = (sbp[c].to_pylist() for c in ("p5", "p50", "p95"))
    assert all(lo <= mid <= hi for lo, mid, hi in zip(p5, p50, p95))
    assert p95[-1] > p5[-1]
    # Same seed, same numbers.
    again = twin.simulate(SCENARIOS / "add-amlodipine-80.json", months=24, members=100, seed=3)
    assert again.table().equals(table)


def test_compare_risk_and_suggest_are_the_apps_answers(bundle_text: str) -> None:
    twin = Twin.from_bundle(bundle_text, as_of=AS_OF)
    comparison = twin.compare(["current", SCENARIOS / "add-amlodipine-80.json"], months=24, members=100)
    assert comparison.projections[0].data["scenario"] == "Current treatment"
    assert len(comparison.data["differences"]) == 1
    assert set(comparison.table()["scenario"].unique().to_pylist()) == {
        p.data["scenario"] for p in comparison.projections
    }
    risk = twin.risk()
    assert isinstance(risk, dict) and risk
    suggestion = twin.suggest(members=100, seed=1, alternatives=2)
    assert isinstance(suggestion, dict) and suggestion


def test_bad_input_is_a_plain_error_with_a_code() -> None:
    with pytest.raises(CardioTwinError) as not_a_bundle:
        Twin.from_bundle('{"resourceType": "Patient"}', as_of=AS_OF)
    assert not_a_bundle.value.code == "validation"
    with pytest.raises(CardioTwinError) as bad_day:
        Twin.from_bundle((DEMO / "05-healthy-45.json").read_text(), as_of="1 December")
    assert "YYYY-MM-DD" in str(bad_day.value)
    twin = Twin.from_bundle((DEMO / "05-healthy-45.json").read_text(), as_of=AS_OF)
    with pytest.raises(CardioTwinError) as too_many:
        twin.simulate(members=0)
    assert too_many.value.code == "validation"
    with pytest.raises(CardioTwinError) as unknown_field:
        twin.simulate({"name": "x", "interventions": [], "colour": "red"})
    assert "unknown field" in str(unknown_field.value)


def test_the_gil_is_released_while_rust_works(bundle_text: str) -> None:
    """A Python thread keeps running while a projection runs on another."""
    twin = Twin.from_bundle(bundle_text, as_of=AS_OF)
    ticks = 0
    running = threading.Event()

    def count() -> None:
        nonlocal ticks
        running.set()
        while running.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    running.wait()
    before = ticks
    twin.simulate(months=120, members=3000)
    during = ticks - before
    running.clear()
    counter.join()
    # With the GIL held for the whole run the counter could not have moved past a tick or two.
    assert during > 20


def test_the_package_says_its_engine_version() -> None:
    assert cardiotwin._native.ENGINE_VERSION
