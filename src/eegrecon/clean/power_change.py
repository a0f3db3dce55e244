"""Do no harm, measured: how much a cleaning changed each channel's power per band, in the recording's reference.

A cleaner should only remove. A band whose power *rises* on some channel is something the cleaning added: an
artifact moved from one channel to others, a reference channel's mains hum regressed into the EEG, noise.
:class:`PowerChange` gathers the power of the input and the output chunk by chunk (bounded memory) and gives the
change per channel and band, in dB; :func:`power_change` does it for two arrays at once.

Bands: delta 1–4, theta 4–8, alpha 8–13, beta 13–30, gamma 30–45 Hz, everything above 45 Hz (mains bins left
out), and ±1 Hz around 50 and 60 Hz (where below Nyquist).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import welch

#: the EEG bands checked, Hz
EEG_BANDS = {"delta": (1.0, 4.0), "theta": (4.0, 8.0), "alpha": (8.0, 13.0), "beta": (13.0, 30.0),
             "gamma": (30.0, 45.0)}
#: mains frequencies whose ±1 Hz bins are checked on their own
LINE_FREQS = (50.0, 60.0)
#: what a rise from nothing (a flat channel given content) is reported as, dB
MAX_DB = 999.0
#: Welch segment, s (0.25-Hz resolution: the mains bins hold a few bins each)
SEGMENT_S = 4.0


def band_edges(sfreq: float) -> dict[str, tuple[float, float]]:
    """Every band checked at ``sfreq``: the EEG bands, "above 45 Hz" and "mains 50 ±1 Hz"/"mains 60 ±1 Hz" below
    Nyquist.

    Parameters
    ----------
    sfreq : float
        Rate, Hz.

    Returns
    -------
    dict of str to (float, float)
        Band name → (low, high) edge, Hz.
    """
    nyquist = sfreq / 2
    bands = {name: edge for name, edge in EEG_BANDS.items() if edge[0] < nyquist}
    if nyquist > 46.0:
        bands["above 45 Hz"] = (45.0, nyquist)
    for line in LINE_FREQS:
        if line + 1.0 < nyquist:
            bands[f"mains {line:g} ±1 Hz"] = (line - 1.0, line + 1.0)
    return bands


class PowerChange:
    """Power per channel and band before and after cleaning, gathered chunk by chunk.

    Parameters
    ----------
    sfreq : float
        Rate, Hz.
    ch_names : list of str
        Names of the channels compared.
    """

    def __init__(self, sfreq: float, ch_names: list[str]):
        self.sfreq = float(sfreq)
        self.ch_names = list(ch_names)
        self.bands = band_edges(self.sfreq)
        self._before = np.zeros((len(self.ch_names), len(self.bands)))
        self._after = np.zeros_like(self._before)

    def _band_power(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] == 0 or not self.bands:  # no channel, or a rate too low for any band
            return np.zeros((x.shape[0], len(self.bands)))
        nperseg = int(min(x.shape[1], round(SEGMENT_S * self.sfreq)))
        f, p = welch(x, fs=self.sfreq, nperseg=nperseg, axis=-1)
        mains = np.zeros(len(f), bool)
        for line in LINE_FREQS:
            mains |= np.abs(f - line) <= 1.0
        columns = []
        for name, (lo, hi) in self.bands.items():
            sel = (f >= lo) & (f < hi) if not name.startswith("mains") else (f >= lo) & (f <= hi)
            if name.startswith("above"):
                sel &= ~mains
            columns.append(p[:, sel].sum(axis=1))
        return np.stack(columns, axis=1) * x.shape[1]  # weighted by length: chunks of any size add up

    def update(self, before: np.ndarray, after: np.ndarray) -> PowerChange:
        """Add a stretch of the input and the output.

        Parameters
        ----------
        before, after : ndarray, shape (n_chans, n)
            The same samples before and after cleaning.

        Returns
        -------
        PowerChange
            ``self``.
        """
        if before.shape[1] >= 2:
            self._before += self._band_power(np.asarray(before, dtype=np.float64))
            self._after += self._band_power(np.asarray(after, dtype=np.float64))
        return self

    @property
    def db(self) -> np.ndarray:
        """(n_chans, n_bands): 10·log10(after / before); 0 where both are 0, +inf where only ``after`` is not (a
        flat channel given content)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(self._before > 0, self._after / np.maximum(self._before, 1e-300),
                             np.where(self._after > 0, np.inf, 1.0))
        return 10 * np.log10(np.maximum(ratio, 1e-30))

    def injected_db(self, floor_db: float) -> np.ndarray:
        """(n_chans, n_bands): :attr:`db` where the power a band gained is at least ``floor_db`` of the channel's
        power before (summed over the bands), −inf where it gained less: a rise of a band that holds next to
        nothing (a notched mains bin, the delta of a test signal) is no content added.

        Parameters
        ----------
        floor_db : float
            The smallest gain that counts, dB relative to the channel's power (e.g. −30: 0.1 %).

        Returns
        -------
        ndarray, shape (n_chans, n_bands)
        """
        gained = self._after - self._before
        total = self._before.sum(axis=1, keepdims=True)
        return np.where(gained >= 10 ** (floor_db / 10) * total, self.db, -np.inf)

    def group_db(self, groups: dict[str, list[int]]) -> dict[str, np.ndarray]:
        """The change per band of each group of channels (their powers summed), dB.

        Parameters
        ----------
        groups : dict of str to list of int
            Group name → channel indices.

        Returns
        -------
        dict of str to ndarray, shape (n_bands,)
        """
        out = {}
        for name, rows in groups.items():
            before, after = self._before[rows].sum(axis=0), self._after[rows].sum(axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[name] = 10 * np.log10(np.maximum(np.where(before > 0, after / np.maximum(before, 1e-300), 1.0),
                                                     1e-30))
        return out

    def largest_rise(self, floor_db: float | None = None) -> dict:
        """The largest rise over channels and bands: ``{"db", "channel", "band"}`` (``db`` ≤ 0: nothing rose).

        Parameters
        ----------
        floor_db : float or None
            Count only gains of at least this much of the channel's power (:meth:`injected_db`); None: every rise.
        """
        change = self.db if floor_db is None else self.injected_db(floor_db)
        if not change.size or not np.isfinite(change).any():  # no channel, or no gain above the floor
            return {"db": 0.0, "channel": None, "band": None}
        i, j = np.unravel_index(int(np.argmax(change)), change.shape)
        db = min(float(change[i, j]), MAX_DB)
        return {"db": round(db, 2), "channel": self.ch_names[i], "band": list(self.bands)[j]}

    def table(self) -> list[dict]:
        """One row per channel: its name and the change in every band, dB."""
        return [{"channel": name, **{band: round(float(v), 2) for band, v in zip(self.bands, row)}}
                for name, row in zip(self.ch_names, self.db)]


def power_change(before: np.ndarray, after: np.ndarray, sfreq: float,
                 ch_names: list[str] | None = None) -> PowerChange:
    """How much cleaning changed each channel's power per band (arrays in the recording's reference).

    Parameters
    ----------
    before, after : ndarray, shape (n_chans, n_times)
        The input and the cleaned output, same unit and reference.
    sfreq : float
        Rate, Hz.
    ch_names : list of str or None
        Channel names (default ``"0"``, ``"1"``, …).

    Returns
    -------
    PowerChange
        ``.db`` (n_chans, n_bands), ``.largest_rise()``, ``.table()``.
    """
    names = ch_names if ch_names is not None else [str(i) for i in range(len(before))]
    return PowerChange(sfreq, names).update(np.asarray(before), np.asarray(after))
