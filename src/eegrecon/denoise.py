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

from eegrecon.data.preprocess import notch
from eegrecon.data.validate import channel_names, check_finite, check_units, clipped_channels
from eegrecon.errors import DataError, EegreconError
from eegrecon.estimator import Estimator, check_is_fitted
from eegrecon.inference import denoise_signals
from eegrecon.method import Method, TestTimeEnsemble
from eegrecon.models.pretrained import DEFAULT_MODEL


def resolve_method(model: str | Path | Method | Any) -> Method:
    """Turn what a user passes as a model into a :class:`~eegrecon.method.Method`.

    Parameters
    ----------
    model : str, Path, Method or torch.nn.Module
        A shipped model name (``eegrecon models list``), a checkpoint or run directory, a Method, or a network
        that carries ``sfreq`` and ``n_times``.

    Returns
    -------
    Method
        Ready to denoise windows at its ``sfreq``.
    """
    if isinstance(model, Method):
        return model
    from eegrecon.models.pretrained import load_method  # imports torch: only when a network is loaded

    return load_method(model)


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
    check_finite(data, ch_names, where)


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


class Denoiser(Estimator):
    """Clean EEG with a trained model: ``Denoiser(model).fit().transform(X)``.

    Parameters
    ----------
    model : str, Path, Method or torch.nn.Module
        Shipped model name (``eegrecon models list``), checkpoint path, Method or network; the model says
        which rate and window it works at.
    overlap : float
        Fraction of overlap between consecutive model windows (0.5: every sample seen twice).
    picks : str or list of str
        MNE channel types or names to clean (default ``"eeg"``); other channels are untouched.
    units : {"uV", "V"} or None
        For ndarrays, the unit you pass; only used for a sanity warning.
    batch_size : int
        Windows per forward pass.
    line_freq : float or None
        Mains frequency (50 or 60 Hz) to notch (with harmonics) before the model, or None. Recommended
        when the recording carries line noise: the networks were trained on line-free EEG and remove a strong
        50/60-Hz hum less reliably than a notch filter does (docs/noise-analysis.md).
    ensemble : bool
        Average the model over sign flip and time reversal (4× slower; +0.003–0.03 CC in
        docs/noise-analysis.md §4).

    Attributes
    ----------
    method_ : Method
        The loaded model (after ``fit``).
    sfreq_ : float
        The model's rate, Hz.
    n_window_ : int
        The model's window, samples.
    report_ : dict
        After ``transform``: what was processed, skipped, padded, resampled.
    """

    def __init__(self, model: str | Path | Any = DEFAULT_MODEL, overlap: float = 0.5, picks: str | list = "eeg",
                 units: str | None = "uV", batch_size: int = 512, line_freq: float | None = None,
                 ensemble: bool = False):
        self.model = model
        self.overlap = overlap
        self.picks = picks
        self.units = units
        self.batch_size = batch_size
        self.line_freq = line_freq
        self.ensemble = ensemble

    def _is_fitted(self) -> bool:
        return hasattr(self, "method_")

    def fit(self, X=None, y=None) -> Denoiser:
        """Load the model (nothing is learned from ``X``: the model is pretrained).

        Parameters
        ----------
        X, y : ignored
            Accepted for the scikit-learn transformer contract.

        Returns
        -------
        Denoiser
            ``self``.
        """
        method = resolve_method(self.model)
        if method.sfreq is None or method.n_times is None:
            raise EegreconError(f"{method!r} does not say which rate and window it works at (its sfreq and "
                                "n_times are None); give the Denoiser a network or set both on the method")
        self.sfreq_ = float(method.sfreq)
        self.n_window_ = int(method.n_times)
        self.method_ = TestTimeEnsemble(method) if self.ensemble else method
        return self

    def _fn(self):
        return lambda w: self.method_.denoise(w, self.sfreq_)

    def _clean(self, data: np.ndarray, sfreq: float, where: str, ch_names: list[str] | None = None) -> np.ndarray:
        _check_array(data, sfreq, where, ch_names)
        n = data.shape[1]
        n_model = int(round(n * self.sfreq_ / sfreq))
        self.report_.update(resampled=abs(sfreq - self.sfreq_) > 1e-9, model_sfreq=self.sfreq_,
                            padded=n_model < self.n_window_)
        if n_model < self.n_window_:
            warnings.warn(f"{where}: {n / sfreq:.3g} s is shorter than one model window "
                          f"({self.n_window_ / self.sfreq_:g} s); the signal is reflect-padded", UserWarning,
                          stacklevel=3)
        flat = data.std(axis=1) <= 1e-12 * max(float(np.max(np.abs(data))), 1e-300)
        live = np.flatnonzero(~flat)
        out = data.astype(np.float64)  # a copy; flat channels stay exactly as they came
        if len(live) and self.line_freq:
            out[live] = notch(out[live], sfreq, self.line_freq)
            self.report_["notch_hz"] = self.line_freq
        if len(live):
            out[live] = denoise_signals(out[live], sfreq, self._fn(), self.sfreq_,
                                        self.n_window_, self.overlap, self.batch_size)
        names = channel_names(data.shape[0], ch_names)
        self.report_["flat_channels"] = [names[i] for i in np.flatnonzero(flat)]
        clipped = [names[i] for i in clipped_channels(data)]
        self.report_["clipped_channels"] = clipped
        if clipped:
            warnings.warn(f"{where}: channel(s) {', '.join(clipped[:8])} look clipped (many samples at the channel's "
                          "min or max): they are denoised, but clipped peaks cannot be restored", UserWarning,
                          stacklevel=3)
        return out

    def transform(self, X, sfreq: float | None = None):
        """Clean ``X`` and return the same type; the input is never modified.

        Parameters
        ----------
        X : mne.io.Raw, mne.Epochs or ndarray
            An ndarray is (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times), in ``units``.
        sfreq : float or None
            Sampling rate of an ndarray, Hz (MNE objects carry their own).

        Returns
        -------
        mne.io.Raw, mne.Epochs or ndarray
            The cleaned copy, same type, shape and units.
        """
        check_is_fitted(self, "call Denoiser(...).fit() first (it loads the model), or use fit_transform")
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
        """``fit()`` then ``transform(X, sfreq)``.

        Parameters
        ----------
        X : mne.io.Raw, mne.Epochs or ndarray
            See :meth:`transform`.
        y : ignored
            Accepted for the scikit-learn contract.
        sfreq : float or None
            Sampling rate of an ndarray, Hz.

        Returns
        -------
        mne.io.Raw, mne.Epochs or ndarray
            The cleaned copy.
        """
        return self.fit(X).transform(X, sfreq=sfreq)

    def _transform_array(self, X: np.ndarray, sfreq: float) -> np.ndarray:
        # (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times): every row is one signal
        rows = X.reshape(-1, X.shape[-1]) if X.ndim == 3 else np.atleast_2d(X)
        self.report_["units_warning"] = check_units(rows, self.units, "array")
        out = self._clean(rows, sfreq, "array").reshape(X.shape)
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

    def _mne_copy(self, inst, where: str):
        """(preloaded copy, indices and names of the channels to clean); warns when there are none."""
        picks = self._picks(inst.info)
        names = [inst.ch_names[i] for i in picks]
        self.report_.update(channels=names, untouched=[c for c in inst.ch_names if c not in names])
        if not len(picks):
            warnings.warn(f"{where}: no EEG channels to clean (bad or non-EEG only); returned unchanged",
                          UserWarning, stacklevel=3)
        return inst.copy().load_data(), picks, names

    def _transform_raw(self, raw):
        where = str(raw.filenames[0]) if getattr(raw, "filenames", None) and raw.filenames[0] else "Raw"
        out, picks, names = self._mne_copy(raw, where)
        if not len(picks):
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
        out, picks, _ = self._mne_copy(epochs, "Epochs")
        if not len(picks):
            return out
        data = out.get_data(picks=picks)  # (n_epochs, n_picks, n_times): every epoch of every channel is a row
        rows = data.reshape(-1, data.shape[-1])
        self.report_["units_warning"] = check_units(rows, "V", "Epochs")
        out._data[:, picks] = self._clean(rows, epochs.info["sfreq"], "Epochs").reshape(data.shape)
        return out


def denoise(data, sfreq: float, model: str | Path | Any = DEFAULT_MODEL, units: str | None = "uV",
            overlap: float = 0.5) -> np.ndarray:
    """Clean an array with :class:`Denoiser`.

    Parameters
    ----------
    data : array_like
        (n_chans, n_times), (n_times,) or (n_epochs, n_chans, n_times), in ``units``.
    sfreq : float
        Sampling rate, Hz.
    model : str, Path, Method or torch.nn.Module
        See :class:`Denoiser`.
    units : {"uV", "V"} or None
        The unit of ``data`` (sanity warning only).
    overlap : float
        Overlap between model windows, in [0, 1).

    Returns
    -------
    ndarray
        A new array of the same shape and units.
    """
    return Denoiser(model, overlap=overlap, units=units).fit().transform(np.asarray(data), sfreq=sfreq)
