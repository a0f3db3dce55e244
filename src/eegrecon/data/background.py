"""The broadband activity above 30 Hz that real recordings carry and eegmat's clean EEG lacks.

eegmat, the multichannel model's clean EEG, was low-passed at 45 Hz before release: at 256 Hz its power above
45 Hz is ~1e-3 of its beta power, while a real recording (eegmmidb S001R01, average reference) has ~0.2 there and
~0.3 in 30–45 Hz. A model trained on eegmat alone learns that anything above 45 Hz is muscle and removes it from real
recordings. :func:`high_frequency_background` draws that missing activity: many brain sources (forward-modelled
topographies, :meth:`~eegrecon.data.topography.TopographyBank.brain`) plus independent sensor noise, each a
random 1/f^α course high-passed at 25–40 Hz and low-passed at 60 Hz–Nyquist (an amplifier's anti-aliasing).
Added to the clean EEG it is part of the target: the model must leave it in place.
"""

from __future__ import annotations

import numpy as np

from eegrecon.data.simulate import noise_with_spectrum
from eegrecon.data.topography import TopographyBank

#: the band whose power the background's level is set against, and the band the level is measured in (Hz)
REFERENCE_BAND = (13.0, 30.0)
BACKGROUND_BAND = (30.0, 80.0)


def shaped_noise(n: int, n_times: int, sfreq: float, exponent: float | np.ndarray, high_pass: float | np.ndarray,
                 low_pass: float | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gaussian noise with power ∝ 1/f^exponent between smooth (8th-order Butterworth-shaped) band edges.

    Parameters
    ----------
    n : int
        Independent courses.
    n_times : int
        Samples.
    sfreq : float
        Hz.
    exponent : float or ndarray, shape (n,)
        Spectral exponent α (one, or one per course).
    high_pass, low_pass : float or ndarray, shape (n,)
        Band edges, Hz.
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    ndarray, shape (n, n_times)
        Unit variance per course.
    """
    f = np.fft.rfftfreq(n_times, 1 / sfreq)
    f[0] = f[1]
    exponent, high_pass, low_pass = (np.reshape(v, (-1, 1)) for v in (exponent, high_pass, low_pass))
    amp = f ** (-exponent / 2) / np.sqrt(1 + (high_pass / f) ** 8) / np.sqrt(1 + (f / low_pass) ** 16)
    amp[:, 0] = 0.0
    return noise_with_spectrum(amp, n, n_times, rng)


def row_band_power(x: np.ndarray, sfreq: float, band: tuple[float, float]) -> np.ndarray:
    """Power of each row in ``band`` (periodogram sum, same units for every band).

    Parameters
    ----------
    x : ndarray, shape (n, n_times)
        Signals (channels or windows).
    sfreq : float
        Hz.
    band : (float, float)
        Hz.

    Returns
    -------
    ndarray, shape (n,)
        Power (signal units squared, up to a constant shared by all bands).
    """
    f = np.fft.rfftfreq(x.shape[-1], 1 / sfreq)
    keep = (f >= band[0]) & (f < band[1])
    return np.sum(np.abs(np.fft.rfft(x, axis=-1)[..., keep]) ** 2, axis=-1)


def high_frequency_background(bank: TopographyBank, n_times: int, sfreq: float, rng: np.random.Generator,
                              n_sources: tuple[int, int] = (8, 32),
                              sensor_share: tuple[float, float] = (0.0, 0.3)) -> np.ndarray:
    """Broadband >30-Hz activity on the bank's montage: brain sources plus independent sensor noise.

    Parameters
    ----------
    bank : TopographyBank
        The montage's brain-source gains.
    n_times : int
        Samples.
    sfreq : float
        Hz.
    rng : numpy.random.Generator
        Random source.
    n_sources : (int, int)
        Range of the number of brain sources.
    sensor_share : (float, float)
        Range of the share of the power that is independent per channel.

    Returns
    -------
    ndarray, shape (n_chans, n_times)
        Average reference, unit power in :data:`BACKGROUND_BAND` per channel on average.
    """
    high = rng.uniform(25.0, 40.0)
    low = rng.uniform(60.0, 0.5 * sfreq)
    k = int(rng.integers(n_sources[0], n_sources[1] + 1))
    brain = bank.brain(rng, k).T @ shaped_noise(k, n_times, sfreq, rng.uniform(0.5, 2.0), high, low, rng)
    sensor = shaped_noise(bank.n_chans, n_times, sfreq, rng.uniform(0.0, 1.0), high, low, rng)
    share = rng.uniform(*sensor_share)
    x = np.sqrt(1 - share) * brain / max(brain.std(), 1e-30) + np.sqrt(share) * sensor
    x -= x.mean(axis=0)
    return x / np.sqrt(max(float(np.mean(row_band_power(x, sfreq, BACKGROUND_BAND))), 1e-30))


def add_background(clean: np.ndarray, bank: TopographyBank, sfreq: float, rng: np.random.Generator,
                   ratio: tuple[float, float] = (0.05, 1.0)) -> np.ndarray:
    """``clean`` plus :func:`high_frequency_background` at a random level relative to its beta power.

    Parameters
    ----------
    clean : ndarray, shape (n_chans, n_times)
        Clean EEG, µV, average reference (channels as in ``bank``).
    bank : TopographyBank
        The montage.
    sfreq : float
        Hz.
    rng : numpy.random.Generator
        Random source.
    ratio : (float, float)
        Range (log-uniform) of background power in 30–80 Hz over the clean signal's power in 13–30 Hz
        (eegmmidb S001R01: ~0.5; eegmat alone: ~0.1).

    Returns
    -------
    ndarray, shape (n_chans, n_times)
        µV, average reference.
    """
    level = np.exp(rng.uniform(np.log(ratio[0]), np.log(ratio[1])))
    beta = float(np.mean(row_band_power(clean, sfreq, REFERENCE_BAND)))
    return clean + np.sqrt(level * beta) * high_frequency_background(bank, clean.shape[-1], sfreq, rng)


def add_background_windows(x: np.ndarray, sfreq: float, rng: np.random.Generator, probability: float,
                           ratio: tuple[float, float] = (0.05, 1.0)) -> np.ndarray:
    """Single-channel windows, a ``probability`` share of them with a >30-Hz background (no spatial structure).

    Parameters
    ----------
    x : ndarray, shape (n, n_times)
        Clean windows, µV.
    sfreq : float
        Hz.
    rng : numpy.random.Generator
        Random source.
    probability : float
        Share of windows that get it.
    ratio : (float, float)
        Range (log-uniform) of its 30–80-Hz power over the window's 13–30-Hz power.

    Returns
    -------
    ndarray, shape (n, n_times)
        µV (a new array).
    """
    n, n_times = x.shape
    noise = shaped_noise(n, n_times, sfreq, rng.uniform(0.0, 2.0, n), rng.uniform(25.0, 40.0, n),
                         rng.uniform(60.0, 0.5 * sfreq, n), rng)
    noise /= np.sqrt(np.maximum(row_band_power(noise, sfreq, BACKGROUND_BAND), 1e-30))[:, None]
    level = np.exp(rng.uniform(np.log(ratio[0]), np.log(ratio[1]), n)) * (rng.random(n) < probability)
    return x + np.sqrt(level * row_band_power(x, sfreq, REFERENCE_BAND))[:, None] * noise
