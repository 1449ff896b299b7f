"""CardioTwin for researchers: a patient's cardiovascular digital twin from a FHIR Bundle, its
projections, risk and guideline suggestions (the same use cases, and the same numbers, as the
desktop app and the ``cardiotwin`` command), and population runs over FHIR Bulk Data folders,
on one machine or on a Ray cluster (``python -m cardiotwin.panel``).

Answers are Python objects: dicts in the app's JSON shape (camelCase keys, as
``cardiotwin ... --format json`` prints), with ensembles also as Arrow tables.

>>> twin = Twin.from_bundle(open("patient.json").read(), as_of="2026-12-01")
>>> twin.simulate({"name": "amlodipine", "interventions": [...]}).table()
"""

from __future__ import annotations

from .errors import CardioTwinError
from .panel_batch import PanelOptions, finish, panel_batch, partition, run_bucket
from .twin import Comparison, Projection, Twin, current_treatment, read_scenario

__all__ = [
    "CardioTwinError",
    "Comparison",
    "PanelOptions",
    "Projection",
    "Twin",
    "current_treatment",
    "finish",
    "panel_batch",
    "partition",
    "read_scenario",
    "run_bucket",
]
