"""One patient's twin: the app's use cases on a FHIR Bundle, answered as Python objects.

Every answer is the app's own (twin-app's command registry through the native module), so a
researcher's numbers are the clinician's numbers for the same record, day, scenario and seed.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from . import _native

#: Ensemble defaults, as the ``cardiotwin`` command's (``--months 120 --members 1000 --seed 1``).
DEFAULT_MONTHS = 120
DEFAULT_MEMBERS = 1000
DEFAULT_SEED = 1

Scenario = Mapping[str, Any] | str | os.PathLike[str] | None


def current_treatment() -> dict[str, Any]:
    """Today's treatment, unchanged: the reference scenario."""
    return {"name": "Current treatment", "interventions": []}


def read_scenario(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A scenario file (the JSON ``cardiotwin simulate --scenario`` reads; docs/SCENARIOS.md)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _scenario(s: Scenario) -> dict[str, Any]:
    if s is None or s == "current":
        return current_treatment()
    if isinstance(s, (str, os.PathLike)):
        return read_scenario(s)
    return dict(s)


def _as_of(as_of: str | _dt.date | None) -> str | None:
    return as_of.isoformat() if isinstance(as_of, _dt.date) else as_of


def _bands(projection: Mapping[str, Any]) -> dict[str, list[Any]]:
    """A projection's bands as columns, one row per output and month."""
    cols: dict[str, list[Any]] = {k: [] for k in ("scenario", "output", "unit", "month", "p5", "p50", "p95")}
    for band in projection["outputs"]:
        n = len(band["p50"])
        cols["scenario"] += [projection["scenario"]] * n
        cols["output"] += [band["output"]] * n
        cols["unit"] += [band["unit"]] * n
        cols["month"] += list(range(n))
        cols["p5"] += band["p5"]
        cols["p50"] += band["p50"]
        cols["p95"] += band["p95"]
    return cols


_BAND_SCHEMA = pa.schema(
    [
        ("scenario", pa.string()),
        ("output", pa.string()),
        ("unit", pa.string()),
        ("month", pa.int32()),
        ("p5", pa.float64()),
        ("p50", pa.float64()),
        ("p95", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Projection:
    """One scenario projected: ``data`` is the whole answer (as ``cardiotwin simulate --format
    json`` prints it: bands, event model, sources, notes, hindcast, freshness)."""

    data: dict[str, Any]

    def table(self) -> pa.Table:
        """The ensemble's bands: one row per output and month (month 0 is the as-of day), the
        median and the 5th and 95th percentiles across members."""
        return pa.table(_bands(self.data), schema=_BAND_SCHEMA)


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side, the first the reference: ``data`` as ``cardiotwin compare
    --format json`` prints it (projections and differences)."""

    data: dict[str, Any]

    @property
    def projections(self) -> list[Projection]:
        return [Projection(p) for p in self.data["projections"]]

    def table(self) -> pa.Table:
        """Every scenario's bands in one table (``scenario`` tells them apart)."""
        return pa.concat_tables([p.table() for p in self.projections])


class Twin:
    """A patient's twin, built from a FHIR Bundle (JSON text, bytes or a parsed dict).

    ``as_of`` (a date or ``YYYY-MM-DD``) pins the consultation's day: ages, active medications
    and month 0 are computed for it. Without it, today.
    """

    def __init__(self, native: _native.NativeTwin) -> None:
        self._native = native

    @classmethod
    def from_bundle(cls, bundle: str | bytes | Mapping[str, Any], *, as_of: str | _dt.date | None = None) -> Twin:
        if isinstance(bundle, bytes):
            bundle = bundle.decode("utf-8")
        elif not isinstance(bundle, str):
            bundle = json.dumps(bundle)
        return cls(_native.NativeTwin.from_bundle(bundle, _as_of(as_of)))

    @property
    def id(self) -> str:
        """The patient's id in the record."""
        return self._native.id

    def __repr__(self) -> str:
        return repr(self._native)

    def _run(self, command: str, args: Mapping[str, Any]) -> Any:
        return json.loads(self._native.run(command, json.dumps(args)))

    def summary(self) -> dict[str, Any]:
        """The harmonised record: demographics, latest values, conditions, medications, and
        what could not be used and why."""
        return self._run("patientSummary", {})

    def risk(self, *, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every validated risk equation for this record, with contributions and sentences.
        ``context`` says what the record does not (``race``, ``region``, ``sdiDecile``)."""
        return self._run("risk", {"context": dict(context or {})})

    def simulate(
        self,
        scenario: Scenario = None,
        *,
        months: int = DEFAULT_MONTHS,
        members: int = DEFAULT_MEMBERS,
        seed: int = DEFAULT_SEED,
        context: Mapping[str, Any] | None = None,
    ) -> Projection:
        """One scenario (a dict, a scenario file's path, or ``None``/``"current"`` for today's
        treatment) projected as an ensemble with 5–95% bands."""
        args = {
            "scenario": _scenario(scenario),
            "ensemble": {"months": months, "members": members, "seed": seed},
            "context": dict(context or {}),
        }
        return Projection(self._run("simulate", args))

    def compare(
        self,
        scenarios: Iterable[Scenario],
        *,
        months: int = DEFAULT_MONTHS,
        members: int = DEFAULT_MEMBERS,
        seed: int = DEFAULT_SEED,
        context: Mapping[str, Any] | None = None,
    ) -> Comparison:
        """Two to four scenarios side by side on the same members, the first the reference."""
        args = {
            "scenarios": [_scenario(s) for s in scenarios],
            "ensemble": {"months": months, "members": members, "seed": seed},
            "context": dict(context or {}),
        }
        return Comparison(self._run("compare", args))

    def suggest(
        self,
        *,
        members: int | None = None,
        seed: int | None = None,
        alternatives: int | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The simplest guideline plan reaching the targets within the safety rules, stepwise,
        with the rules each regimen trips. Decision support: the clinician decides."""
        args: dict[str, Any] = {"context": dict(context or {})}
        for key, value in (("members", members), ("seed", seed), ("alternatives", alternatives)):
            if value is not None:
                args[key] = value
        return self._run("suggest", args)
