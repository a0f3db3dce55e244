"""Reconstruction metrics, vectorised over windows (arrays (n, T), time last).

RMS(g) = sqrt(mean(g²)). Definitions follow EEGdenoiseNet (Zhang et al. 2021):

- ``rrmse_t`` = RMS(ŷ − x) / RMS(x)
- ``rrmse_s`` = RMS(P(ŷ) − P(x)) / RMS(P(x)), with P the **Welch PSD**: Hann window of 1 s
  (``sfreq`` samples, or the whole window if shorter), 50 % overlap, mean of periodograms, one-sided
  density (scipy.signal.welch defaults otherwise: constant detrend). Frequencies 0–Nyquist.
- ``cc`` = Pearson correlation of ŷ and x
- ``snr_out`` = 10·log10(Σx² / Σ(ŷ − x)²) (power dB), ``delta_snr`` = snr_out − snr_in with
  snr_in = 10·log10(Σx² / Σ(y − x)²), the same power definition on both sides.
- ``bp_err_<band>`` = |Pb(ŷ) − Pb(x)| / Pb(x), Pb the Welch power integrated over the band.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

BANDS: dict[str, tuple[float, float]] = {"delta": (1.0, 4.0), "theta": (4.0, 8.0), "alpha": (8.0, 13.0),
                                         "beta": (13.0, 30.0), "gamma": (30.0, 80.0)}
_EPS = 1e-20


def rms(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Root mean square along ``axis`` (float64): the one RMS of the package (SNR mixing, metrics).

    Parameters
    ----------
    x : ndarray
        Values.
    axis : int
        Axis to reduce (time, last, by default).

    Returns
    -------
    ndarray
        ``x`` without ``axis``.
    """
    return np.sqrt(np.mean(np.square(x, dtype=np.float64), axis=axis))


def psd(x: np.ndarray, sfreq: float) -> tuple[np.ndarray, np.ndarray]:
    """Welch PSD used by every spectral metric (Hann, 1-s segments or the whole window if shorter, 50 % overlap).

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signals.
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    freqs : ndarray, shape (F,)
        Frequencies, Hz.
    power : ndarray, shape (..., F)
        One-sided power spectral density.
    """
    nperseg = int(min(x.shape[-1], round(sfreq)))
    return signal.welch(np.asarray(x, dtype=np.float64), fs=sfreq, window="hann", nperseg=nperseg,
                        noverlap=nperseg // 2, axis=-1)


def rrmse_t(denoised: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """Relative RMS error in time: RMS(ŷ − x) / RMS(x) per window.

    Parameters
    ----------
    denoised : ndarray, shape (n, n_times)
        Estimates ŷ.
    clean : ndarray, shape (n, n_times)
        Ground truth x.

    Returns
    -------
    ndarray, shape (n,)
        RRMSE_t.
    """
    return rms(denoised - clean) / np.maximum(rms(clean), _EPS)


def rrmse_s(denoised: np.ndarray, clean: np.ndarray, sfreq: float) -> np.ndarray:
    """Relative RMS error of the Welch power spectra: RMS(P(ŷ) − P(x)) / RMS(P(x)) per window.

    Parameters
    ----------
    denoised : ndarray, shape (n, n_times)
        Estimates ŷ.
    clean : ndarray, shape (n, n_times)
        Ground truth x.
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    ndarray, shape (n,)
        RRMSE_s.
    """
    _, pd = psd(denoised, sfreq)
    _, pc = psd(clean, sfreq)
    return rms(pd - pc) / np.maximum(rms(pc), _EPS)


def cc(denoised: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """Pearson correlation of ŷ and x per window.

    Parameters
    ----------
    denoised : ndarray, shape (n, n_times)
        Estimates ŷ.
    clean : ndarray, shape (n, n_times)
        Ground truth x.

    Returns
    -------
    ndarray, shape (n,)
        CC in [−1, 1].
    """
    a = denoised - denoised.mean(axis=-1, keepdims=True)
    b = clean - clean.mean(axis=-1, keepdims=True)
    den = np.sqrt(np.sum(a * a, axis=-1) * np.sum(b * b, axis=-1))
    return np.sum(a * b, axis=-1) / np.maximum(den, _EPS)


def snr_power_db(clean: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    """10·log10(Σx² / Σ(estimate − x)²) per window.

    Parameters
    ----------
    clean : ndarray, shape (n, n_times)
        Ground truth x.
    estimate : ndarray, shape (n, n_times)
        A denoised or noisy window.

    Returns
    -------
    ndarray, shape (n,)
        SNR, power dB.
    """
    num = np.sum(np.square(clean, dtype=np.float64), axis=-1)
    err = np.sum(np.square(estimate - clean, dtype=np.float64), axis=-1)
    return 10.0 * np.log10(np.maximum(num, _EPS) / np.maximum(err, _EPS))


def band_power_errors(denoised: np.ndarray, clean: np.ndarray, sfreq: float) -> dict[str, np.ndarray]:
    """Relative band-power error |Pb(ŷ) − Pb(x)| / Pb(x) per band of :data:`BANDS` below Nyquist.

    Parameters
    ----------
    denoised : ndarray, shape (n, n_times)
        Estimates ŷ.
    clean : ndarray, shape (n, n_times)
        Ground truth x.
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    dict of str to ndarray
        ``bp_err_<band>`` → (n,).
    """
    f, pd = psd(denoised, sfreq)
    _, pc = psd(clean, sfreq)
    out = {}
    for name, (lo, hi) in BANDS.items():
        sel = (f >= lo) & (f < min(hi, sfreq / 2))
        if not sel.any():
            continue
        bd, bc = pd[:, sel].sum(axis=-1), pc[:, sel].sum(axis=-1)
        out[f"bp_err_{name}"] = np.abs(bd - bc) / np.maximum(bc, _EPS)
    return out


def all_metrics(denoised: np.ndarray, clean: np.ndarray, noisy: np.ndarray, sfreq: float
                ) -> dict[str, np.ndarray]:
    """Every metric per window.

    Parameters
    ----------
    denoised : ndarray, shape (n, n_times)
        Estimates ŷ.
    clean : ndarray, shape (n, n_times)
        Ground truth x.
    noisy : ndarray, shape (n, n_times)
        The method's input y (for ΔSNR).
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    dict of str to ndarray
        Metric name → (n,).
    """
    denoised, clean, noisy = (np.atleast_2d(np.asarray(a, dtype=np.float64)) for a in (denoised, clean, noisy))
    snr_out = snr_power_db(clean, denoised)
    return {"rrmse_t": rrmse_t(denoised, clean), "rrmse_s": rrmse_s(denoised, clean, sfreq),
            "cc": cc(denoised, clean), "snr_out": snr_out, "delta_snr": snr_out - snr_power_db(clean, noisy),
            **band_power_errors(denoised, clean, sfreq)}


METRIC_NAMES = ("rrmse_t", "rrmse_s", "cc", "snr_out", "delta_snr")


def band_power_change_db(output: np.ndarray, reference: np.ndarray, sfreq: float) -> dict[str, float]:
    """Signed band-power change of ``output`` against ``reference`` per band of :data:`BANDS`, dB.

    Powers are summed over windows before the ratio (10·log10(ΣPb(output) / ΣPb(reference))), so a band that is
    nearly empty in one window does not dominate; negative = power removed, 0 = unchanged.

    Parameters
    ----------
    output : ndarray, shape (n, n_times)
        What a method returned.
    reference : ndarray, shape (n, n_times)
        What it was given (or the truth).
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    dict of str to float
        ``<band>_db`` → change, for bands below Nyquist.
    """
    f, po = psd(output, sfreq)
    _, pr = psd(reference, sfreq)
    out = {}
    for name, (lo, hi) in BANDS.items():
        sel = (f >= lo) & (f < min(hi, sfreq / 2))
        if sel.any():
            out[f"{name}_db"] = float(10 * np.log10(max(po[..., sel].sum(), _EPS) / max(pr[..., sel].sum(), _EPS)))
    return out


def preservation(output: np.ndarray, reference: np.ndarray, sfreq: float) -> dict[str, float]:
    """How much a method changed input that needed no change: CC and RRMSE against it, and the band-power change.

    An untouched output gives ``cc`` 1, ``rrmse`` 0 and 0 dB in every band.

    Parameters
    ----------
    output : ndarray, shape (n, n_times)
        The method's output on artifact-free windows.
    reference : ndarray, shape (n, n_times)
        Those windows.
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    dict of str to float
        ``cc_input`` and ``rrmse_input`` (means over windows) and ``<band>_db``.
    """
    return {"cc_input": float(np.mean(cc(output, reference))),
            "rrmse_input": float(np.mean(rrmse_t(output, reference))),
            **band_power_change_db(output, reference, sfreq)}
