"""Named option values, validated once: the ``Literal`` types used by the configs and ``check_option``.

Pydantic configs use the ``Literal`` types directly (an unknown value fails when the config is read); plain
function arguments go through :func:`check_option`, which gives the same "must be one of …" message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, get_args

from eegrecon.errors import OptionError, UnknownNameError

SnrDefinition = Literal["rms", "power"]
Units = Literal["V", "uV"]
AboveBand = Literal["keep", "lowpass"]

SNR_DEFINITIONS: tuple[str, ...] = get_args(SnrDefinition)
UNITS: tuple[str, ...] = get_args(Units)
ABOVE_BAND_POLICIES: tuple[str, ...] = get_args(AboveBand)


def check_option(name: str, value: Any, allowed: Iterable[Any], lookup: bool = False) -> Any:
    """Return ``value`` if it is one of ``allowed``, else raise :class:`~eegrecon.errors.OptionError`.

    Parameters
    ----------
    name : str
        What the option is called where the user set it (e.g. ``"--snr-definition"`` or ``"units"``).
    value : object
        The value given.
    allowed : iterable
        The values accepted (a ``Literal``'s arguments, a registry's keys, ...).
    lookup : bool
        ``value`` is a name looked up in a registry: raise :class:`~eegrecon.errors.UnknownNameError`
        ("unknown <name> ...", also a ``KeyError``).

    Returns
    -------
    object
        ``value`` unchanged.
    """
    allowed = tuple(allowed)
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        if lookup:
            raise UnknownNameError(f"unknown {name} {value!r}; must be one of {choices}")
        raise OptionError(f"{name} must be one of {choices}; got {value!r}")
    return value


def line_freq_option(text: str, flag: str = "--line-freq") -> float | str | None:
    """A command line's mains option: ``"auto"``, ``"off"``/``"none"`` (None) or a frequency in Hz.

    Parameters
    ----------
    text : str
        As typed.
    flag : str
        The option's name, for the error.

    Returns
    -------
    float, "auto" or None
    """
    if text.lower() in ("off", "none"):
        return None
    if text == "auto":
        return text
    try:
        return float(text)
    except ValueError:
        raise OptionError(f"{flag} must be 'auto', 'off' or a frequency in Hz, got {text!r}") from None
