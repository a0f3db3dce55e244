"""Built-in simulator of clean EEG: the embedded default when no real data is found.

Aperiodic 1/f^β background plus bursty theta, alpha and beta oscillations, per-"subject" parameters
(alpha frequency, exponent, amplitudes), at realistic scalp amplitudes (std ≈ 8–25 µV).
"""

from __future__ import annotations

import numpy as np

from eegrecon.data.windowset import WindowSet


def colored_noise(n: int, n_times: int, exponent: float, rng: np.random.Generator,
                  sfreq: float = 256.0, f_min: float = 0.5) -> np.ndarray:
    """Unit-std noise with power ∝ 1/f^exponent above ``f_min`` Hz.

    Parameters
    ----------
    n : int
        Signals.
    n_times : int
        Samples each.
    exponent : float
        Spectral exponent (0 white, 1 pink, 2 brown).
    rng : numpy.random.Generator
        Random source.
    sfreq : float
        Sampling rate, Hz.
    f_min : float
        Below this frequency the spectrum is flat, Hz.

    Returns
    -------
    ndarray, shape (n, n_times)
        float64 noise.
    """
    freqs = np.fft.rfftfreq(n_times, 1.0 / sfreq)
    amp = np.zeros_like(freqs)
    pos = freqs >= f_min
    amp[pos] = freqs[pos] ** (-exponent / 2.0)
    return noise_with_spectrum(amp, n, n_times, rng)


def noise_with_spectrum(amplitude: np.ndarray, n: int, n_times: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-std Gaussian noise whose amplitude spectrum is ``amplitude`` (random phases).

    Parameters
    ----------
    amplitude : ndarray, shape (n_times // 2 + 1,) or (n, n_times // 2 + 1)
        Amplitude per rfft frequency (one shape for all rows, or one per row).
    n : int
        Signals.
    n_times : int
        Samples each.
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    ndarray, shape (n, n_times)
        float64 noise.
    """
    n_freqs = n_times // 2 + 1
    spec = (rng.standard_normal((n, n_freqs)) + 1j * rng.standard_normal((n, n_freqs))) * amplitude
    x = np.fft.irfft(spec, n=n_times, axis=-1)
    return x / (x.std(axis=-1, keepdims=True) + 1e-12)


def burst_envelope(n: int, n_times: int, sfreq: float, rng: np.random.Generator,
                   mean_dur: float = 0.6) -> np.ndarray:
    """Smooth random on/off envelope in [0, 1] with bursts of about ``mean_dur`` seconds.

    Parameters
    ----------
    n : int
        Envelopes.
    n_times : int
        Samples each.
    sfreq : float
        Sampling rate, Hz.
    rng : numpy.random.Generator
        Random source.
    mean_dur : float
        Typical burst duration, s.

    Returns
    -------
    ndarray, shape (n, n_times)
        Envelopes.
    """
    base = colored_noise(n, n_times, 4.0, rng, sfreq, f_min=1.0 / (2 * mean_dur))
    return 1.0 / (1.0 + np.exp(-3.0 * (base + rng.uniform(-0.5, 1.0, size=(n, 1)))))


def oscillation(n: int, n_times: int, sfreq: float, f0: np.ndarray | float, bw: float,
                rng: np.random.Generator) -> np.ndarray:
    """Narrow-band oscillation around ``f0`` Hz (±``bw``/2) with random phase, unit std.

    Parameters
    ----------
    n : int
        Signals.
    n_times : int
        Samples each.
    sfreq : float
        Sampling rate, Hz.
    f0 : float or ndarray, shape (n,)
        Centre frequency, Hz.
    bw : float
        Bandwidth, Hz.
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    ndarray, shape (n, n_times)
        Oscillations.
    """
    freqs = np.fft.rfftfreq(n_times, 1.0 / sfreq)
    f0 = np.broadcast_to(np.asarray(f0, dtype=float), (n,))[:, None]
    gain = np.exp(-0.5 * ((freqs[None, :] - f0) / (bw / 2.0)) ** 2)
    spec = (rng.standard_normal((n, len(freqs))) + 1j * rng.standard_normal((n, len(freqs)))) * gain
    x = np.fft.irfft(spec, n=n_times, axis=-1)
    return x / (x.std(axis=-1, keepdims=True) + 1e-12)


def simulate_clean_eeg(n: int, n_times: int = 512, sfreq: float = 256.0, seed: int = 0,
                       subject_params: dict | None = None) -> np.ndarray:
    """Simulate ``n`` clean EEG windows of one subject (1/f background with alpha, theta and beta bursts).

    Parameters
    ----------
    n : int
        Windows.
    n_times : int
        Samples each.
    sfreq : float
        Sampling rate, Hz.
    seed : int
        Random seed.
    subject_params : dict or None
        From :func:`draw_subject_params` (drawn from ``seed`` when None).

    Returns
    -------
    ndarray, shape (n, n_times)
        float32 windows, µV.
    """
    rng = np.random.default_rng(seed)
    p = subject_params or draw_subject_params(rng)
    background = colored_noise(n, n_times, p["exponent"], rng, sfreq)
    theta = oscillation(n, n_times, sfreq, p["theta_f"], 2.0, rng) * burst_envelope(n, n_times, sfreq, rng)
    alpha = oscillation(n, n_times, sfreq, p["alpha_f"], 1.5, rng) * burst_envelope(n, n_times, sfreq, rng, 1.0)
    beta = oscillation(n, n_times, sfreq, p["beta_f"], 6.0, rng) * burst_envelope(n, n_times, sfreq, rng, 0.3)
    x = (p["bg_uv"] * background + p["theta_uv"] * theta + p["alpha_uv"] * alpha + p["beta_uv"] * beta)
    return x.astype(np.float32)


def draw_subject_params(rng: np.random.Generator) -> dict:
    """Per-subject spectral parameters within adult resting-EEG ranges.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    dict
        Amplitudes, exponent and peak frequencies for :func:`simulate_clean_eeg`.
    """
    return {
        "exponent": rng.uniform(1.2, 2.0),
        "alpha_f": rng.uniform(8.5, 11.5),
        "theta_f": rng.uniform(5.0, 7.0),
        "beta_f": rng.uniform(16.0, 24.0),
        "bg_uv": rng.uniform(6.0, 14.0),
        "theta_uv": rng.uniform(2.0, 6.0),
        "alpha_uv": rng.uniform(4.0, 16.0),
        "beta_uv": rng.uniform(1.0, 4.0),
    }


def simulated_clean_windowset(n_subjects: int = 12, windows_per_subject: int = 80, n_times: int = 512,
                              sfreq: float = 256.0, seed: int = 0) -> WindowSet:
    """Clean EEG of simulated subjects (groups ``sim:S00``, ``sim:S01``, ...).

    Parameters
    ----------
    n_subjects : int
        Subjects (each a split group).
    windows_per_subject : int
        Windows each.
    n_times : int
        Samples per window.
    sfreq : float
        Sampling rate, Hz.
    seed : int
        Random seed.

    Returns
    -------
    WindowSet
        The windows.
    """
    rng = np.random.default_rng(seed)
    xs, groups = [], []
    for s in range(n_subjects):
        params = draw_subject_params(rng)
        xs.append(simulate_clean_eeg(windows_per_subject, n_times, sfreq, int(rng.integers(2**31)), params))
        groups += [f"sim:S{s:02d}"] * windows_per_subject
    return WindowSet(np.concatenate(xs), sfreq, np.array(groups), np.array(["simulated_eeg"] * len(groups)))
