"""The one exception the package raises for bad input or a failed use case."""

from __future__ import annotations


class CardioTwinError(Exception):
    """A use case refused or failed: ``message`` in plain words (never patient data), and
    ``code``, the app's error code (``validation``, ``notFound``, ``io``, ...), to branch on."""

    def __init__(self, message: str, code: str = "validation") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
