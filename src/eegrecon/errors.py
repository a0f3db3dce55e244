"""User-facing errors: one line that says what is wrong and what to do."""

from __future__ import annotations


class EegreconError(Exception):
    """Base class for errors a user can act on (printed without a traceback by the CLI)."""


class DataError(EegreconError):
    """A data file or directory is missing, unreadable or holds unexpected values."""
