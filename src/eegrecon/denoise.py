"""Clean real recordings: ``Denoiser`` (scikit-learn transformer contract) and ``denoise`` for arrays.

    from eegrecon import Denoiser, denoise
    raw_clean = Denoiser().fit().transform(raw)          # mne.io.Raw in → Raw out (volts), input untouched
    clean = denoise(data_uv, sfreq=500.0)                # (n_chans, n_times) ndarray in → same shape and units

What happens to the data (each step is reported in ``Denoiser.report_``):
- only EEG channels are processed (MNE: ``picks="eeg"``; channels in ``info["bads"]`` are left untouched);
- each channel is resampled to the model's rate, cut into overlapping windows (Hann-weighted overlap-add,
  no seams), each window divided by its std, denoised, scaled back; only the model's correction is
  resampled back, so content above the model's Nyquist frequency is kept;
- recordings shorter than one model window are reflect-padded (``report_["padded"]``);
- samples inside ``bad_*`` annotations are returned exactly as they came in;
- flat channels pass through unchanged; clipped channels are denoised with a warning (``report_``);
  NaN/Inf raise an error naming the channels;
- the result does not depend on units (per-window scaling); ``units`` only drives a sanity warning when
  amplitudes look like volts where µV were declared, or the reverse.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from eegrecon.errors import DataError, EegreconError
from eegrecon.inference import denoise_signals
from eegrecon.method import Method

#: per-channel std (in the declared unit) outside which the data does not look like scalp EEG in that unit
PLAUSIBLE_STD = {"V": (1e-8, 5e-3), "uV": (0.01, 5e3)}


def resolve_method(model: str | Path | Method | Any) -> Method:
    """A shipped model name, a checkpoint path, a :class:`Method` or a bare ``torch.nn.Module``."""
    import torch

    from eegrecon.neural import NeuralMethod, load_method

    if isinstance(model, Method):
        return model
    if isinstance(model, torch.nn.Module):
        return NeuralMethod(model.eval(), {"sfreq": getattr(model, "sfreq", 256.0),
                                           "n_times": getattr(model, "n_times", 512)})
    return load_method(model)


def check_units(data: np.ndarray, units: str | None, where: str) -> str | None:
    """Warn when amplitudes do not look like EEG in ``units`` ("V", "uV" or None to skip). Returns the warning."""
    if units is None or data.size == 0:
        return None
    if units not in PLAUSIBLE_STD:
        raise EegreconError(f"units must be 'V', 'uV' or None, got {units!r}")
    std = np.std(data, axis=-1)
    std = std[std > 0]
    if not len(std):
        return None
    med = float(np.median(std))
    lo, hi = PLAUSIBLE_STD[units]
    if lo <= med <= hi:
        return None
    other = "uV" if units == "V" else "V"
    msg = (f"{where}: median channel std {med:.3g} {units} does not look like scalp EEG in {units}"
           + (f" (it looks like {other})" if PLAUSIBLE_STD[other][0] <= med <= PLAUSIBLE_STD[other][1] else "")
           + "; the output is still in your units (denoising is scale-invariant), but check the data's unit")
    warnings.warn(msg, UserWarning, stacklevel=3)
    return msg


def _check_array(data: np.ndarray, sfreq: float, where: str, ch_names: list[str] | None = None) -> None:
    if not np.isfinite(sfreq) or sfreq <= 0:
        raise DataError(f"{where}: sampling rate must be a positive number of Hz, got {sfreq}")
    if data.ndim != 2:
        raise DataError(f"{where}: expected (n_chans, n_times), got an array of shape {data.shape}")
    if data.shape[1] == 0:
        raise DataError(f"{where}: the recording is empty (0 samples)")
    if data.shape[1] < 2:
        raise DataError(f"{where}: a single sample per channel cannot be denoised; need at least 2")
    if data.shape[0] > data.shape[1] and data.shape[0] >= sfreq and data.shape[1] < 1024:
        raise DataError(f"{where}: array of shape {data.shape} looks like (n_times, n_chans) "
                        f"({data.shape[0]} 'channels' of {data.shape[1]} samples); pass data.T")
    bad = ~np.isfinite(data).all(axis=1)
    if bad.any():
        names = [(ch_names[i] if ch_names else f"#{i}") for i in np.flatnonzero(bad)]
        raise DataError(f"{where}: channel(s) {', '.join(names[:8])} contain NaN or Inf; interpolate them, drop "
                        "them or mark them bad (MNE: raw.info['bads']) and retry")


def clipped_channels(data: np.ndarray, min_fraction: float = 0.005) -> np.ndarray:
    """Indices of channels whose min or max value repeats in ≥ ``min_fraction`` of samples (≥ 5): a saturated
    amplifier or ADC. Denoising cannot restore the clipped peaks."""
    n = data.shape[1]
    hits = np.maximum((data == data.max(axis=1, keepdims=True)).sum(axis=1),
                      (data == data.min(axis=1, keepdims=True)).sum(axis=1))
    return np.flatnonzero((hits >= max(5, min_fraction * n)) & (data.std(axis=1) > 0))


def _bad_annotation_mask(inst, n_times: int) -> np.ndarray:
    """True where a ``bad_*`` annotation covers the sample (MNE Raw)."""
    mask = np.zeros(n_times, bool)
    sfreq, first = inst.info["sfreq"], inst.first_time
    for ann in inst.annotations:
        if str(ann["description"]).lower().startswith("bad"):
            start = int(round((ann["onset"] - first) * sfreq))
            stop = int(round((ann["onset"] - first + ann["duration"]) * sfreq))
            mask[max(start, 0):max(min(stop, n_times), 0)] = True
    return mask


class Denoiser:
    """Clean EEG with a trained model: ``Denoiser(model).fit().transform(X)``.

    Parameters
    ----------
    model : shipped model name (``eegrecon models list``), checkpoint path, Method or torch module.
    overlap : fraction of overlap between consecutive model windows (0.5: every sample seen twice).
    picks : MNE channel types or names to clean (default ``"eeg"``); other channels are untouched.
    units : for ndarrays, the unit you pass ("uV", "V" or None); only used for a sanity warning.
    batch_size : windows per forward pass.
    ensemble : average the model over sign flip and time reversal (4× slower; +0.003–0.03 CC in
        docs/noise-analysis.md §4).
    line_freq : mains frequency (50 or 60 Hz) to notch (with harmonics) before the model, or None. Recommended
        when the recording carries line noise: the networks were trained on line-free EEG and remove a strong
        50/60-Hz hum less reliably than a notch filter does (docs/noise-analysis.md).

    Learned state (after ``fit``): ``method_``, ``sfreq_`` (model rate, Hz), ``n_window_`` (samples);
    after ``transform``: ``report_`` (what was processed, skipped, padded, resampled).
    """

    def __init__(self, model: str | Path | Any = "eegrecon_net", overlap: float = 0.5, picks: str | list = "eeg",
                 units: str | None = "uV", batch_size: int = 512, line_freq: float | None = None,
                 ensemble: bool = False):
        self.model = model
        self.ensemble = ensemble
        self.line_freq = line_freq
        self.overlap = overlap
        self.picks = picks
        self.units = units
        self.batch_size = batch_size

    def get_params(self, deep: bool = True) -> dict:
        return {k: getattr(self, k) for k in ("model", "overlap", "picks", "units", "batch_size", "line_freq",
                                              "ensemble")}

    def set_params(self, **params) -> Denoiser:
        for k, v in params.items():
            if k not in self.get_params():
                raise ValueError(f"unknown parameter {k!r}")
            setattr(self, k, v)
        return self

    def fit(self, X=None, y=None) -> Denoiser:
        """Load the model (nothing is learned from ``X``: the model is pretrained). Returns self."""
        self.method_ = resolve_method(self.model)
        meta = getattr(self.method_, "meta", {}) or {}
        if self.ensemble:
            from eegrecon.analysis.variants import TestTimeEnsemble

            self.method_ = TestTimeEnsemble(self.method_)
        self.sfreq_ = float(meta.get("sfreq", getattr(self.method_, "sfreq", 256.0)))
        self.n_window_ = int(meta.get("n_times", 512))
        return self

    def _fn(self):
        return lambda w: self.method_.denoise(w, self.sfreq_)

    def _clean(self, data: np.ndarray, sfreq: float, where: str, ch_names: list[str] | None = None) -> np.ndarray:
        _check_array(data, sfreq, where, ch_names)
        if not hasattr(self, "method_"):
            self.fit()
        n = data.shape[1]
        n_model = int(round(n * self.sfreq_ / sfreq))
        self.report_.update(resampled=abs(sfreq - self.sfreq_) > 1e-9, model_sfreq=self.sfreq_,
                            padded=n_model < self.n_window_)
        if n_model < self.n_window_:
            warnings.warn(f"{where}: {n / sfreq:.3g} s is shorter than one model window "
                          f"({self.n_window_ / self.sfreq_:g} s); the signal is reflect-padded", UserWarning,
                          stacklevel=3)
        std = data.std(axis=1)
        flat = std <= 1e-12 * max(float(np.max(np.abs(data))), 1e-300)
        out = data.astype(np.float64, copy=True)
        live = np.flatnonzero(~flat)
        source = data.astype(np.float64)
        if self.line_freq and len(live):
            from eegrecon.data.preprocess import notch

            source = source.copy()
            source[live] = notch(source[live], sfreq, self.line_freq)
            self.report_["notch_hz"] = self.line_freq
        if len(live):
            out[live] = denoise_signals(source[live], sfreq, self._fn(), self.sfreq_,
                                        self.n_window_, self.overlap, self.batch_size)
        names = ch_names or [f"#{i}" for i in range(data.shape[0])]
        self.report_["flat_channels"] = [names[i] for i in np.flatnonzero(flat)]
        clipped = [names[i] for i in clipped_channels(data)]
        self.report_["clipped_channels"] = clipped
        if clipped:
            warnings.warn(f"{where}: channel(s) {', '.join(clipped[:8])} look clipped (many samples at the channel's "
                          "min or max): they are denoised, but clipped peaks cannot be restored", UserWarning,
                          stacklevel=3)
        return out

    def transform(self, X, sfreq: float | None = None):
        """Clean ``X`` and return the same type: mne Raw, mne Epochs, or ndarray (n_chans, n_times) /
        (n_epochs, n_chans, n_times) with ``sfreq`` given. The input is never modified."""
        self.report_: dict[str, Any] = {}
        try:
            import mne
        except ImportError:  # pragma: no cover - mne is a dependency
            mne = None
        if mne is not None and isinstance(X, mne.io.BaseRaw):
            return self._transform_raw(X)
        if mne is not None and isinstance(X, mne.BaseEpochs):
            return self._transform_epochs(X)
        if isinstance(X, np.ndarray | list | tuple):
            if sfreq is None:
                raise EegreconError("transform(ndarray) needs the sampling rate: transform(X, sfreq=...)")
            return self._transform_array(np.asarray(X), float(sfreq))
        raise EegreconError(f"cannot denoise a {type(X).__name__}: pass an mne Raw, mne Epochs or a NumPy array")

    def fit_transform(self, X, y=None, sfreq: float | None = None):
        return self.fit(X).transform(X, sfreq=sfreq)

    def _transform_array(self, X: np.ndarray, sfreq: float) -> np.ndarray:
        if X.ndim == 1:
            return self._transform_array(X[None, :], sfreq)[0]
        if X.ndim == 3:
            n_ep, n_ch, n_t = X.shape
            check_units(X.reshape(-1, n_t), self.units, "array")
            self.report_["units_warning"] = None
            out = self._clean(X.reshape(n_ep * n_ch, n_t), sfreq, "array").reshape(X.shape)
            return out.astype(X.dtype if X.dtype.kind == "f" else np.float64)
        self.report_["units_warning"] = check_units(X, self.units, "array")
        out = self._clean(X, sfreq, "array")
        return out.astype(X.dtype if X.dtype.kind == "f" else np.float64)

    def _picks(self, info) -> np.ndarray:
        """Indices of the channels to clean: by type (``"eeg"``) or by name; bad channels never."""
        picks = [self.picks] if isinstance(self.picks, str) else list(self.picks)
        types = info.get_channel_types()
        missing = [p for p in picks if p not in info["ch_names"] and p not in set(types)]
        if missing:
            raise EegreconError(f"picks {missing} are neither channel names nor channel types of this recording "
                                f"(types present: {', '.join(sorted(set(types)))})")
        return np.asarray([i for i, (name, kind) in enumerate(zip(info["ch_names"], types))
                           if (name in picks or kind in picks) and name not in info["bads"]], dtype=int)

    def _transform_raw(self, raw):
        where = str(raw.filenames[0]) if getattr(raw, "filenames", None) and raw.filenames[0] else "Raw"
        picks = self._picks(raw.info)
        out = raw.copy().load_data()
        names = [raw.ch_names[i] for i in picks]
        self.report_.update(channels=names, untouched=[c for c in raw.ch_names if c not in names])
        if not len(picks):
            warnings.warn(f"{where}: no EEG channels to clean (bad or non-EEG only); returned unchanged",
                          UserWarning, stacklevel=2)
            return out
        data = out.get_data(picks=picks)
        self.report_["units_warning"] = check_units(data, "V", where)
        cleaned = self._clean(data, raw.info["sfreq"], where, names)
        mask = _bad_annotation_mask(raw, data.shape[1])
        cleaned[:, mask] = data[:, mask]
        self.report_["bad_annotation_s"] = float(mask.sum() / raw.info["sfreq"])
        out._data[picks] = cleaned
        return out

    def _transform_epochs(self, epochs):
        picks = self._picks(epochs.info)
        out = epochs.copy().load_data()
        names = [epochs.ch_names[i] for i in picks]
        self.report_.update(channels=names, untouched=[c for c in epochs.ch_names if c not in names])
        if not len(picks):
            return out
        data = out.get_data(picks=picks)  # (n_epochs, n_picks, n_times)
        self.report_["units_warning"] = check_units(data.reshape(-1, data.shape[-1]), "V", "Epochs")
        n_ep, n_ch, n_t = data.shape
        cleaned = self._clean(data.reshape(n_ep * n_ch, n_t), epochs.info["sfreq"], "Epochs")
        out._data[:, picks] = cleaned.reshape(data.shape)
        return out


def denoise(data, sfreq: float, model: str | Path | Any = "eegrecon_net", units: str | None = "uV",
            overlap: float = 0.5):
    """Clean an array (n_chans, n_times) [or (n_times,), or (n_epochs, n_chans, n_times)] sampled at ``sfreq`` Hz.

    Returns a new array of the same shape and units; see :class:`Denoiser`.
    """
    return Denoiser(model, overlap=overlap, units=units).fit().transform(np.asarray(data), sfreq=sfreq)
