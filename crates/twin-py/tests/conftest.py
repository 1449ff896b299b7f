"""Shared fixtures: the repository's demo bundles, the pinned consultation day, and the demo
cohort as a FHIR Bulk Data folder (one NDJSON file per resource type, as ``$export`` writes)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "assets" / "demo"
SCENARIOS = ROOT / "assets" / "scenarios"
#: twin-test-support's CONSULTATION_DAY: tests never read the wall clock.
AS_OF = "2026-12-01"


def demo_bundles() -> list[Path]:
    return sorted(DEMO.glob("*.json"))


def write_bulk_export(bundles: list[Path], out: Path) -> Path:
    """The bundles' resources as a Bulk Data export: ``<Type>.ndjson`` files, one resource a line."""
    lines: dict[str, list[str]] = defaultdict(list)
    for path in bundles:
        for entry in json.loads(path.read_text())["entry"]:
            resource = entry["resource"]
            lines[resource["resourceType"]].append(json.dumps(resource, separators=(",", ":")))
    out.mkdir(parents=True, exist_ok=True)
    for kind, rows in lines.items():
        (out / f"{kind}.ndjson").write_text("\n".join(rows) + "\n")
    return out


@pytest.fixture
def bundle_text() -> str:
    return (DEMO / "01-uncontrolled-hypertension.json").read_text()


@pytest.fixture(scope="session")
def bulk_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bulk_export(demo_bundles(), tmp_path_factory.mktemp("bulk"))
