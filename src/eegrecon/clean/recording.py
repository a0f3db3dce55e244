"""The one interface every input reaches the chunk engine through: a span reader and what is known of the rows.

An ndarray, a Raw held in memory, a file read lazily from disk and each epoch of an Epochs all become a
:class:`Recording` in :mod:`~eegrecon.clean.adapters`; positions and reference kinds travel with the model choice
(:class:`~eegrecon.clean.model_choice.Choice`), bad channels never become rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

ReadFn = Callable[[int, int], np.ndarray]  # (start, stop) → (n_rows, stop - start) samples


@dataclass
class Recording:
    """Rows to clean (EEG first, then the references a multichannel model reads), however they are held.

    Parameters
    ----------
    read : callable
        ``(start, stop) → (n_rows, stop − start)`` samples, in the recording's unit and reference.
    n_rows : int
        Rows.
    n_times : int
        Samples.
    sfreq : float
        Rate, Hz.
    where : str
        What to call it in errors and warnings (a file name, "Raw", "array", "Epochs").
    ch_names : list of str or None
        Row names.
    runs : sequence of (int, int) or None
        Contiguous stretches cleaned as separate signals (boundaries, gaps); None: one.
    bad_spans : list of (int, int) or None
        Sample spans returned exactly as read (``bad_*`` annotations).
    units : str or None
        The declared unit (a sanity warning only).
    limits : ndarray, shape (n_rows, 2), or None
        The lowest and highest value each row can hold where it is written (a file's physical range): a cleaned
        sample beyond them is returned as read instead of clipped. None: no limit.
    """

    read: ReadFn
    n_rows: int
    n_times: int
    sfreq: float
    where: str
    ch_names: list[str] | None = None
    runs: Sequence[tuple[int, int]] | None = None
    bad_spans: list[tuple[int, int]] | None = None
    units: str | None = "V"
    limits: np.ndarray | None = None

    @classmethod
    def from_array(cls, data: np.ndarray, sfreq: float, where: str, units: str | None,
                   ch_names: list[str] | None = None) -> Recording:
        """Rows held in memory.

        Parameters
        ----------
        data : ndarray, shape (n_rows, n_times)
            The rows.
        sfreq : float
            Rate, Hz.
        where : str
            What to call them in messages.
        units : str or None
            Their declared unit.
        ch_names : list of str or None
            Row names.

        Returns
        -------
        Recording
        """
        return cls(lambda a, b: data[:, a:b], data.shape[0], data.shape[1], sfreq, where, ch_names, units=units)
