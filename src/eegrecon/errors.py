"""User-facing errors: one line that says what is wrong and what to do."""

from __future__ import annotations


class EegreconError(Exception):
    """Base class for errors a user can act on (printed without a traceback by the CLI)."""


class DataError(EegreconError):
    """A data file or directory is missing, unreadable or holds unexpected values."""


class OptionError(EegreconError, ValueError):
    """An option has a value outside the ones allowed; the message lists the allowed values."""


class NotFittedError(EegreconError, AttributeError):
    """An estimator was used before ``fit`` (scikit-learn's rule: no implicit fitting)."""


class UnknownNameError(OptionError, KeyError):
    """A name that is not in a registry (model, noise, loss, pretrained bundle); the message lists the known ones."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
