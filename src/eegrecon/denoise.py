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

import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from scipy.signal import welch

from eegrecon.data.preprocess import bandpass, notch
from eegrecon.data.validate import channel_names, check_finite, check_units, clipped_channels
from eegrecon.errors import DataError, EegreconError
from eegrecon.estimator import Estimator, check_is_fitted
from eegrecon.inference import denoise_signals
from eegrecon.method import Method, TestTimeEnsemble
from eegrecon.models.pretrained import DEFAULT_MODEL
from eegrecon.options import ABOVE_BAND_POLICIES, AboveBand, check_option

#: the model's band ends at this fraction of its rate (below its Nyquist frequency, where resampling starts to cut)
MODEL_BAND_FRACTION = 0.45


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


#: the most channels a recording plausibly has; a longer "time" axis than this one is what the guess looks for
MAX_PLAUSIBLE_CHANNELS = 256


def _check_array(data: np.ndarray, sfreq: float, where: str, ch_names: list[str] | None = None) -> None:
    if data.ndim != 2:
        raise DataError(f"{where}: expected (n_chans, n_times), got an array of shape {data.shape}")
    if data.shape[0] == 0:
        raise DataError(f"{where}: no channels to denoise (array of shape {data.shape}); pass (n_chans, n_times) "
                        "with at least one channel")
    if data.shape[1] == 0:
        raise DataError(f"{where}: the recording is empty (0 samples)")
    if data.shape[1] < 2:
        raise DataError(f"{where}: a single sample per channel cannot be denoised; need at least 2")
    check_finite(data, ch_names, where)


def _check_sfreq(sfreq: Any, where: str) -> float:
    try:
        value = float(sfreq)
    except (TypeError, ValueError):
        raise DataError(f"{where}: sampling rate must be a number of Hz, got {sfreq!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise DataError(f"{where}: sampling rate must be a positive number of Hz, got {sfreq}")
    return value


def _as_float_array(X: Any, where: str) -> np.ndarray:
    """``X`` as a real floating-point array, or a DataError that says what was wrong with it."""
    try:
        arr = np.asarray(X)
    except ValueError as exc:  # ragged nested lists
        raise DataError(f"{where}: cannot make an array of the input ({exc}); pass a rectangular numeric array "
                        "of shape (n_chans, n_times)") from None
    if arr.dtype.kind == "c":
        raise DataError(f"{where}: complex values (dtype {arr.dtype}); pass the real signal")
    if arr.dtype.kind not in "fiub":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise DataError(f"{where}: expected numbers, got an array of dtype {arr.dtype}; convert it with "
                            "np.asarray(x, dtype=float) first") from None
    return arr


def looks_transposed(shape: tuple[int, ...], sfreq: float) -> bool:
    """Whether a 2-D array of ``shape`` looks like (n_times, n_chans) rather than (n_chans, n_times).

    Only for arrays that say nothing of their layout: more rows than columns, at least a second of rows and
    no more columns than a recording has channels (:data:`MAX_PLAUSIBLE_CHANNELS`). A batch of windows
    with more windows than samples per window is ambiguous too: pass ``time_axis=-1`` to say so.

    Parameters
    ----------
    shape : tuple of int
        The array's shape.
    sfreq : float
        Its sampling rate, Hz.

    Returns
    -------
    bool
        True when the first axis is probably time.
    """
    return (len(shape) == 2 and shape[0] > shape[1] and shape[0] >= sfreq
            and shape[1] <= MAX_PLAUSIBLE_CHANNELS)


_NOT_EEG_TOKENS = ("eog", "heog", "veog", "ecg", "ekg", "emg")


def name_says_not_eeg(name: str) -> bool:
    """Whether a channel name says it is not scalp EEG: EOG, ECG/EKG, EMG or a reference electrode.

    Parameters
    ----------
    name : str
        Channel name (e.g. ``"EOG left"``, ``"EMG chin"``, ``"ECG"``, ``"Ref"``, ``"EEG Fpz-Cz"``).

    Returns
    -------
    bool
        True for EOG, ECG, EKG, EMG and reference channels.
    """
    tokens = [t for t in re.split(r"[^a-z0-9]+", name.lower()) if t]
    return any(t.startswith(_NOT_EEG_TOKENS) for t in tokens) or any(t in ("ref", "reference") for t in tokens)


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
    above_band : {"keep", "lowpass"}
        What happens to content above the model's band (0.45 × the model's rate: 115 Hz for the 256-Hz models)
        in recordings sampled faster than the model. ``"keep"`` (default): left exactly as recorded, because the
        model never saw that band and do-no-harm means not changing what it did not judge; EMG above ~115 Hz
        therefore stays. ``"lowpass"``: the output is low-pass filtered at that edge (zero-phase FIR), removing
        whatever lies above it, artifact or not. ``report_["above_model_band"]`` states the policy, the edge and
        the share of the input's power above it.

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
                 ensemble: bool = False, above_band: AboveBand = "keep"):
        self.model = model
        self.overlap = overlap
        self.picks = picks
        self.units = units
        self.batch_size = batch_size
        self.line_freq = line_freq
        self.ensemble = ensemble
        self.above_band = above_band

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
        check_option("above_band", self.above_band, ABOVE_BAND_POLICIES)
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
        self.report_["above_model_band"] = self._above_band(data, out, live, sfreq)
        names = channel_names(data.shape[0], ch_names)
        self.report_["flat_channels"] = [names[i] for i in np.flatnonzero(flat)]
        clipped = [names[i] for i in clipped_channels(data)]
        self.report_["clipped_channels"] = clipped
        if clipped:
            warnings.warn(f"{where}: channel(s) {', '.join(clipped[:8])} look clipped (many samples at the channel's "
                          "min or max): they are denoised, but clipped peaks cannot be restored", UserWarning,
                          stacklevel=3)
        return out

    def _above_band(self, data: np.ndarray, out: np.ndarray, live: np.ndarray, sfreq: float) -> dict | None:
        """Apply the ``above_band`` policy to ``out`` in place; what the report says about it."""
        edge = MODEL_BAND_FRACTION * self.sfreq_
        if sfreq <= self.sfreq_ + 1e-9 or not len(live):
            return None  # at or below the model's rate the model sees the whole recorded band
        f, p = welch(data[live], fs=sfreq, nperseg=min(data.shape[1], int(2 * sfreq)), axis=-1)
        share = float(p[:, f > edge].sum() / max(p.sum(), 1e-300))
        if self.above_band == "lowpass":
            out[live] = bandpass(out[live], sfreq, None, edge)
        return {"policy": self.above_band, "edge_hz": edge, "input_power_share": share}

    def transform(self, X, sfreq: float | None = None, time_axis: int | None = None):
        """Clean ``X`` and return the same type; the input is never modified.

        Parameters
        ----------
        X : mne.io.Raw, mne.Epochs or ndarray
            An ndarray is (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times), in ``units``: time is
            the last axis unless ``time_axis`` says otherwise.
        sfreq : float or None
            Sampling rate of an ndarray, Hz (MNE objects carry their own).
        time_axis : int or None
            Which axis of an ndarray is time. When None, time is the last axis, except that a 2-D array that
            looks like (n_times, n_chans) (:func:`looks_transposed`) is cleaned as such, with a warning; pass
            ``time_axis`` to state the layout and skip the guess (``-1`` for a batch of windows).

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
            return self._transform_array(_as_float_array(X, "array"), _check_sfreq(sfreq, "array"), time_axis)
        raise EegreconError(f"cannot denoise a {type(X).__name__}: pass an mne Raw, mne Epochs or a NumPy array")

    def fit_transform(self, X, y=None, sfreq: float | None = None, time_axis: int | None = None):
        """``fit()`` then ``transform(X, sfreq, time_axis)``.

        Parameters
        ----------
        X : mne.io.Raw, mne.Epochs or ndarray
            See :meth:`transform`.
        y : ignored
            Accepted for the scikit-learn contract.
        sfreq : float or None
            Sampling rate of an ndarray, Hz.
        time_axis : int or None
            Which axis of an ndarray is time (see :meth:`transform`).

        Returns
        -------
        mne.io.Raw, mne.Epochs or ndarray
            The cleaned copy.
        """
        return self.fit(X).transform(X, sfreq=sfreq, time_axis=time_axis)

    def _transform_array(self, X: np.ndarray, sfreq: float, time_axis: int | None) -> np.ndarray:
        if X.ndim not in (1, 2, 3):
            raise DataError(f"array: expected (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times), got "
                            f"shape {X.shape}")
        if time_axis is not None:
            if not -X.ndim <= time_axis < X.ndim:
                raise DataError(f"array: time_axis={time_axis} does not exist in an array of shape {X.shape}")
            moved = np.moveaxis(X, time_axis, -1)
        elif looks_transposed(X.shape, sfreq):
            warnings.warn(f"array: shape {X.shape} looks like (n_times, n_chans) ({X.shape[0]} samples of "
                          f"{X.shape[1]} channels): cleaned as such; pass time_axis=0 to say so, or time_axis=-1 if "
                          "the rows really are channels or windows", UserWarning, stacklevel=3)
            self.report_["time_axis_guessed"] = 0
            time_axis, moved = 0, X.T
        else:
            time_axis, moved = -1, X
        # every row is one signal: (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times)
        rows = moved.reshape(int(np.prod(moved.shape[:-1])), moved.shape[-1])
        self.report_["units_warning"] = check_units(rows, self.units, "array")
        out = self._clean(rows, sfreq, "array").reshape(moved.shape)
        out = np.moveaxis(out, -1, time_axis)
        return out.astype(X.dtype if X.dtype.kind == "f" else np.float64)

    def _picks(self, info) -> np.ndarray:
        """Indices of the channels to clean: by type (``"eeg"``) or by name; bad channels never. A channel typed
        EEG whose name says EOG, ECG, EMG or reference (common in EDF files, which carry no types) is not
        cleaned unless named in ``picks``; such channels are listed in ``report_["not_eeg_by_name"]``."""
        picks = [self.picks] if isinstance(self.picks, str) else list(self.picks)
        types = info.get_channel_types()
        missing = [p for p in picks if p not in info["ch_names"] and p not in set(types)]
        if missing:
            raise EegreconError(f"picks {missing} are neither channel names nor channel types of this recording "
                                f"(types present: {', '.join(sorted(set(types)))})")
        by_name = [n for n, kind in zip(info["ch_names"], types)
                   if kind == "eeg" and n not in picks and name_says_not_eeg(n)]
        self.report_["not_eeg_by_name"] = by_name
        return np.asarray([i for i, (name, kind) in enumerate(zip(info["ch_names"], types))
                           if (name in picks or kind in picks) and name not in info["bads"] and name not in by_name],
                          dtype=int)

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
