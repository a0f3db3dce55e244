"""Mains (line) noise: is there a 50-Hz or a 60-Hz hum in a recording, and how strong is it?

The detector looks at the average power spectrum of the channels (Welch, 0.25-Hz resolution) and measures, at
50 and 60 Hz and their harmonics below 0.45 × the sampling rate, how far the peak (±0.5 Hz) rises above the
median of the surrounding spectrum (2–6 Hz away on both sides). A frequency is detected when its fundamental (or
its first harmonic) rises above that floor by more than chance allows for the length of the recording: 6 dB from
20 s on, 10 dB from 10 s, and no decision below 10 s (:func:`threshold_db`). On simulated 1/f EEG without hum the
largest chance peak was 7.4 dB at 10 s and 5.0 dB at 20 s of a single channel (150 recordings each). The stronger
of 50 and 60 Hz wins. EEG has no narrow peak there, so clean recordings are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import welch

#: a mains peak must rise this far above the neighbouring spectrum (power, dB) in a recording of ≥ 20 s
PROMINENCE_DB = 6.0

#: the same for recordings of 10–20 s, whose spectra are noisier
SHORT_PROMINENCE_DB = 10.0

#: mains frequencies in use worldwide, Hz
MAINS_HZ = (50.0, 60.0)


@dataclass
class LineNoise:
    """A detected mains hum.

    Parameters
    ----------
    freq : float
        Mains frequency, Hz (50 or 60).
    prominence_db : float
        Height of the strongest of its peaks above the neighbouring spectrum, dB (power).
    harmonics : list of float
        Frequencies (fundamental and harmonics below 0.45 × the rate) whose peak passed the threshold, Hz.
    """

    freq: float
    prominence_db: float
    harmonics: list[float]


class SpectrumAccumulator:
    """Average power spectrum of all channels, gathered chunk by chunk (bounded memory).

    Parameters
    ----------
    sfreq : float
        Sampling rate, Hz.
    """

    def __init__(self, sfreq: float):
        self.sfreq = sfreq
        self.nperseg = int(round(4 * sfreq))  # 0.25-Hz resolution separates 50 from 60 Hz and from EEG peaks
        self.freqs: np.ndarray | None = None
        self.segments = 0  # Welch segments averaged per channel
        self._sum: np.ndarray | None = None
        self._weight = 0.0

    def update(self, data: np.ndarray) -> SpectrumAccumulator:
        """Add consecutive samples of every channel.

        Parameters
        ----------
        data : ndarray, shape (n_chans, n)
            Signals.

        Returns
        -------
        SpectrumAccumulator
            ``self``.
        """
        if data.shape[-1] < self.nperseg:
            return self
        f, p = welch(data, fs=self.sfreq, nperseg=self.nperseg, axis=-1)
        # each channel normalised by its total power: one loud channel does not hide the others' hum
        p = p / np.maximum(p.sum(axis=-1, keepdims=True), 1e-300)
        mean = p.reshape(-1, len(f)).mean(axis=0)
        self.freqs = f
        w = data.shape[-1] / self.nperseg
        self._sum = mean * w if self._sum is None else self._sum + mean * w
        self._weight += w
        self.segments += (data.shape[-1] - self.nperseg) // (self.nperseg // 2) + 1
        return self

    @property
    def psd(self) -> np.ndarray | None:
        """The average normalised spectrum, or None when no chunk was long enough (4 s)."""
        return None if self._sum is None else self._sum / self._weight


def peak_prominence_db(freqs: np.ndarray, psd: np.ndarray, f0: float) -> float:
    """How far the spectrum at ``f0`` (±0.5 Hz, max) rises above its surroundings (2–6 Hz away, median), dB.

    Parameters
    ----------
    freqs : ndarray
        Frequencies of ``psd``, Hz.
    psd : ndarray
        Power spectrum.
    f0 : float
        Frequency to look at, Hz.

    Returns
    -------
    float
        Prominence in dB (power); NaN when the surroundings are outside the spectrum.
    """
    peak = psd[np.abs(freqs - f0) <= 0.5]
    ring = psd[(np.abs(freqs - f0) >= 2.0) & (np.abs(freqs - f0) <= 6.0)]
    if not len(peak) or len(ring) < 8 or freqs[-1] < f0 + 6.0:
        return float("nan")
    return float(10 * np.log10(max(peak.max(), 1e-300) / max(np.median(ring), 1e-300)))


def threshold_db(segments: int) -> float | None:
    """Prominence a mains peak needs in a spectrum averaged over ``segments`` 4-s Welch segments (50 % overlap).

    Parameters
    ----------
    segments : int
        Segments averaged per channel.

    Returns
    -------
    float or None
        :data:`PROMINENCE_DB` from 9 segments (20 s), :data:`SHORT_PROMINENCE_DB` from 4 (10 s), None below
        (too short to tell hum from chance).
    """
    if segments >= 9:
        return PROMINENCE_DB
    return SHORT_PROMINENCE_DB if segments >= 4 else None


def detect_line_noise(freqs: np.ndarray, psd: np.ndarray, sfreq: float, segments: int) -> LineNoise | None:
    """The mains hum in a spectrum, or None.

    Parameters
    ----------
    freqs : ndarray
        Frequencies, Hz.
    psd : ndarray
        Average power spectrum of the recording.
    sfreq : float
        Sampling rate, Hz (harmonics up to 0.45 × it are examined).
    segments : int
        Welch segments averaged per channel (sets the threshold: :func:`threshold_db`).

    Returns
    -------
    LineNoise or None
        The detected frequency, or None when neither 50 nor 60 Hz stands out (or the recording is too short).
    """
    need = threshold_db(segments)
    if need is None:
        return None
    best = None
    for mains in MAINS_HZ:
        tones = [f for f in np.arange(mains, 0.45 * sfreq, mains)][:4]
        prom = {f: peak_prominence_db(freqs, psd, f) for f in tones}
        passed = [f for f, p in prom.items() if np.isfinite(p) and p >= need]
        if not passed or passed[0] > 2 * mains:  # the fundamental or first harmonic must show
            continue
        strongest = max(prom[f] for f in passed)
        if best is None or strongest > best.prominence_db:
            best = LineNoise(mains, strongest, [float(f) for f in passed])
    return best


def find_line_noise(data: np.ndarray, sfreq: float) -> LineNoise | None:
    """Detect mains noise in signals held in memory.

    Parameters
    ----------
    data : ndarray, shape (n_chans, n_times)
        Signals (any unit).
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    LineNoise or None
        See :func:`detect_line_noise`; None also for recordings shorter than 10 s.
    """
    acc = SpectrumAccumulator(sfreq).update(np.atleast_2d(np.asarray(data, dtype=np.float64)))
    return None if acc.psd is None else detect_line_noise(acc.freqs, acc.psd, sfreq, acc.segments)
