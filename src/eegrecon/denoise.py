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
  amplitudes look like volts where µV were declared, or the reverse;
- long signals are cleaned ``chunk_s`` seconds at a time with the context that model windows, resampling and
  filters need, so memory does not grow with the recording; chunks start on the whole signal's window grid
  and the result equals whole-signal processing (:func:`~eegrecon.inference.chunk_quantum`);
- annotations marking a discontinuity (``BAD boundary``/``EDGE boundary`` from concatenation, ``BAD_ACQ_SKIP``)
  split the recording: each side is cleaned as its own signal (``report_["segments"]``);
- the model is chosen per recording (``model="auto"``, :mod:`~eegrecon.model_choice`): the multichannel model
  when enough EEG channels have known positions (Raw, Epochs), each channel on its own otherwise
  (``report_["model"]`` says which and why).
"""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.signal import welch

from eegrecon.artifact_sources import clean_in_source_space
from eegrecon.bad_channels import find_bad_channels, interpolation
from eegrecon.common_mode import restore_common_mode
from eegrecon.data.mains import SpectrumAccumulator, detect_line_noise
from eegrecon.data.preprocess import bandpass, hop_for, notch, stop_mains_bins
from eegrecon.data.validate import ChannelStats, channel_names, check_finite, check_units
from eegrecon.errors import DataError, EegreconError, OptionError
from eegrecon.estimator import Estimator, check_is_fitted
from eegrecon.inference import chunk_margin, chunk_quantum, chunk_spans, denoise_signals
from eegrecon.method import Method, TestTimeEnsemble
from eegrecon.model_choice import JointInput, choose_model, joint_input
from eegrecon.models.pretrained import DEFAULT_MODEL, MULTICHANNEL_MODEL
from eegrecon.options import ABOVE_BAND_POLICIES, AboveBand, check_option
from eegrecon.power_change import PowerChange
from eegrecon.reference_regression import reference_regression
from eegrecon.refit import artifact_refit

#: the model's band ends at this fraction of its rate (below its Nyquist frequency, where resampling starts to cut)
MODEL_BAND_FRACTION = 0.45

#: time constants of the mains notch (Q = 30) a chunk's context spans, so that chunk edges leave no trace
#: (exp(-40) ≈ 4e-18 of the signal)
NOTCH_SETTLE_TAUS = 40

#: annotations that mark a discontinuity (MNE writes them where recordings were concatenated or skipped):
#: model windows never straddle one; each side is cleaned as its own signal
BOUNDARY_DESCRIPTIONS = ("bad boundary", "edge boundary", "bad_acq_skip")

ReadFn = Callable[[int, int], np.ndarray]  # (start, stop) → (n_chans, stop - start) samples


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


def _positive_number(value: Any, error: type[Exception], what: str) -> float:
    """``value`` as a finite positive float, or ``error(f"{what}, got ...")``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise error(f"{what}, got {value!r}") from None
    if not np.isfinite(number) or number <= 0:
        raise error(f"{what}, got {value!r}")
    return number


def _check_sfreq(sfreq: Any, where: str) -> float:
    return _positive_number(sfreq, DataError, f"{where}: sampling rate must be a positive number of Hz")


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
_EAR_TOKENS = ("a1", "a2", "m1", "m2")


def name_says_not_eeg(name: str) -> bool:
    """Whether a channel name says it is not scalp EEG: EOG, ECG/EKG, EMG or a reference electrode.

    Parameters
    ----------
    name : str
        Channel name (e.g. ``"EOG left"``, ``"EMG chin"``, ``"ECG"``, ``"Ref"``, ``"EEG Fpz-Cz"``).

    Returns
    -------
    bool
        True for EOG, ECG, EKG, EMG and reference channels (including an ear/mastoid derivation such as
        ``"EEG A2-A1"``).
    """
    tokens = [t for t in re.split(r"[^a-z0-9]+", name.lower()) if t]
    ears = [t for t in tokens if t != "eeg"]
    if len(ears) == 2 and all(t in _EAR_TOKENS for t in ears):  # e.g. "EEG A2-A1": ear against ear, a reference check
        return True
    return any(t.startswith(_NOT_EEG_TOKENS) for t in tokens) or any(t in ("ref", "reference") for t in tokens)


def _bad_spans(inst) -> list[tuple[int, int]]:
    """Sample spans [start, stop) (from the Raw's first sample) covered by ``bad_*`` annotations."""
    sfreq, first = inst.info["sfreq"], inst.first_time
    return [(int(round((ann["onset"] - first) * sfreq)), int(round((ann["onset"] - first + ann["duration"]) * sfreq)))
            for ann in inst.annotations if str(ann["description"]).lower().startswith("bad")]


def _span_mask(spans: list[tuple[int, int]], start: int, stop: int) -> np.ndarray:
    """True where one of ``spans`` covers a sample of [start, stop)."""
    mask = np.zeros(stop - start, bool)
    for a, b in spans:
        mask[max(a - start, 0):max(min(b, stop) - start, 0)] = True
    return mask


def _check_line_freq(value: Any) -> float | None:
    """``line_freq`` as the frequency to notch now (None for "auto" until detected, or for off)."""
    if value is None or value == "auto":
        return None
    return _positive_number(value, OptionError, "line_freq must be 'auto', None or a frequency in Hz (50 or 60)")


def _boundary_samples(raw) -> list[int]:
    """Sample indices (from the Raw's first sample) of annotations that mark a discontinuity."""
    sfreq, first = raw.info["sfreq"], raw.first_time
    return [int(round((ann["onset"] - first) * sfreq)) for ann in raw.annotations
            if str(ann["description"]).lower() in BOUNDARY_DESCRIPTIONS]


class Denoiser(Estimator):
    """Clean EEG with a trained model: ``Denoiser(model).fit().transform(X)``.

    Parameters
    ----------
    model : "auto", str, Path, Method or torch.nn.Module
        ``"auto"`` (default): the multichannel model (``eegrecon_mc``) for Raw and Epochs with at least 8 EEG
        channels of known position (montage, or standard 10-20/10-05 names), with the recording's EOG/ECG channels
        as references; the single-channel model (``eegrecon_net``) for everything else
        (:mod:`~eegrecon.model_choice`). Otherwise a shipped model name (``eegrecon models list``), checkpoint
        path, Method or network, used for every input; the model says which rate and window it works at.
    overlap : float
        Fraction of overlap between consecutive model windows (0.5: every sample seen twice).
    picks : str or list of str
        MNE channel types or names to clean (default ``"eeg"``); other channels are untouched.
    units : {"uV", "V"} or None
        For ndarrays, the unit you pass; only used for a sanity warning.
    batch_size : int
        Windows per forward pass (256: fastest on 2 cores here, in float32 and bfloat16).
    line_freq : "auto", float or None
        Mains noise removed before the model with zero-phase notches at the frequency and its harmonics
        (:func:`~eegrecon.data.preprocess.notch`). ``"auto"`` (default): detected in the recording
        (:func:`~eegrecon.data.mains.detect_line_noise`: a 50- or 60-Hz peak ≥ 6 dB above the neighbouring
        spectrum, 10 dB in recordings of 10–20 s, no decision below 10 s) and removed only when present, so
        recordings without hum are not filtered; a number: always notch that frequency; None: never. The
        networks were trained on line-free EEG and remove a strong hum less reliably than a notch does.
        ``report_["line_noise"]`` says what was found and done.
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
    chunk_s : float or None
        Seconds of signal cleaned at once (plus the context the windows and filters need). Memory grows with it,
        the network's result does not: chunked and whole-signal outputs are equal (up to float32 rounding in the
        network, which sees different batches), except for the multichannel model's fits over each chunk
        (``artifact_sources``, ``refit_components``, the reference regression), which then differ slightly.
        None: the whole signal at once.
    precision : {"auto", "float32", "bfloat16"}
        Arithmetic of a network's forward pass. ``"auto"`` (default): bfloat16 autocast where the CPU computes it
        natively (AVX-512-BF16/AMX; 1.5× faster, benchmark CC equal to float32 to 3 decimals and SNR within
        0.01 dB: benchmarks/results/precision.md), float32 elsewhere. Ignored by methods that are not networks.
    refit_components : int
        Multichannel model only: after the network, regress each channel on the ``k`` dominant courses of the
        artifact it removed, over each chunk (``chunk_s``; the whole signal when None), and subtract the fitted part
        where the network acted (:func:`~eegrecon.refit.artifact_refit`; a recording-level fit like EOG
        regression's, with the network's artifact as the regressor). 0 (default): off. Because the fit is per chunk,
        chunked and whole-signal outputs then differ slightly.
    artifact_sources : int
        Multichannel model only (default 2): over each chunk, the ``k`` dominant topographies of the artifact the
        network removed are beamformed out of all channels, the single-channel model cleans the resulting source
        courses in time, and during artifact events that replaces the network's removal along those topographies
        (:func:`~eegrecon.artifact_sources.clean_in_source_space`). Outside events the output is the network's;
        where its gate was closed, the input. With EOG/ECG channels, a source whose course they explain (R² ≥ 0.5)
        keeps the network's removal (it had the waveform); others (muscle) are redone. 0: off.
        Per chunk, so chunked and whole-signal outputs then differ slightly. ``report_["artifact_sources"]``.
    reference_regression : bool
        Multichannel model with EOG/ECG channels only (default True): where the network's own artifact estimate
        agrees with a linear regression of the EEG on a kind of reference channel over the chunk, that regression
        is subtracted where the network acted, and the network runs again on the result
        (:func:`~eegrecon.reference_regression.reference_regression`; about 2× the time then).
        ``report_["reference_regression"]`` gives, per kind, the chunks where it was used, the mean weight and the
        mean agreement. A reference holding only brain activity, or an artifact the EEG does not show, is not used;
        nor is a kind on stretches shorter than 1,280 samples per channel of it (5 s at 256 Hz; short epochs: the
        network only).

    Attributes
    ----------
    method_ : Method
        The single-channel model, or the model asked for (after ``fit``).
    sfreq_ : float
        The model's rate, Hz.
    n_window_ : int
        The model's window, samples.
    report_ : dict
        After ``transform``: what was processed, skipped, padded, resampled.
    """

    def __init__(self, model: str | Path | Any = "auto", overlap: float = 0.5, picks: str | list = "eeg",
                 units: str | None = "uV", batch_size: int = 256, line_freq: float | str | None = "auto",
                 ensemble: bool = False, above_band: AboveBand = "keep", chunk_s: float | None = 120.0,
                 precision: str = "auto", refit_components: int = 0, reference_regression: bool = True,
                 artifact_sources: int = 2):
        self.model = model
        self.overlap = overlap
        self.picks = picks
        self.units = units
        self.batch_size = batch_size
        self.line_freq = line_freq
        self.ensemble = ensemble
        self.above_band = above_band
        self.chunk_s = chunk_s
        self.precision = precision
        self.refit_components = refit_components
        self.reference_regression = reference_regression
        self.artifact_sources = artifact_sources

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
        self.line_hz_ = _check_line_freq(self.line_freq)
        for name in ("refit_components", "artifact_sources"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                raise OptionError(f"{name} must be a whole number ≥ 0 (0: off), got {value!r}")
        if not isinstance(self.reference_regression, bool | np.bool_):
            raise OptionError(f"reference_regression must be True or False, got {self.reference_regression!r}")
        if self.chunk_s is not None and not (np.isfinite(self.chunk_s) and self.chunk_s > 0):
            raise OptionError(f"chunk_s must be a positive number of seconds or None, got {self.chunk_s!r}")
        method = self._load(DEFAULT_MODEL if self._auto() else self.model)
        self.method_ = TestTimeEnsemble(method) if self.ensemble and not _is_multichannel(method) else method
        self.course_method_ = None  # the single-channel model for artifact sources, loaded when first needed
        self._use(self.method_, None)
        return self

    def _auto(self) -> bool:
        return isinstance(self.model, str) and self.model == "auto"

    def _load(self, ref) -> Method:
        method = resolve_method(ref)
        if hasattr(method, "precision"):  # a network: a copy runs at the requested precision (caller's untouched)
            from eegrecon.models.neural import resolve_precision

            method = copy.copy(method)
            method.precision = resolve_precision(self.precision)
        if method.sfreq is None or method.n_times is None:
            raise EegreconError(f"{method!r} does not say which rate and window it works at (its sfreq and "
                                "n_times are None); give the Denoiser a network or set both on the method")
        return method

    def _use(self, method: Method, joint: JointInput | None) -> None:
        """Make ``method`` the one that runs (with its extra inputs when it is multichannel)."""
        self._active, self._joint = method, joint
        self._joint_live: tuple[int, np.ndarray, np.ndarray] | None = None
        self._joint_names: list[str] | None = None
        self.sfreq_ = float(method.sfreq)
        self.n_window_ = int(method.n_times)

    def _multichannel_method(self) -> Method:
        if getattr(self, "multichannel_method_", None) is None:
            self.multichannel_method_ = self._load(MULTICHANNEL_MODEL)
        return self.multichannel_method_

    def _course_cleaner(self, sfreq: float):
        """Source courses at ``sfreq`` → cleaned by the single-channel model (for :mod:`eegrecon.artifact_sources`)."""
        if self.course_method_ is None:  # averaged over sign flip and time reversal: a few courses
            single = self._load(DEFAULT_MODEL) if _is_multichannel(self.method_) else self.method_
            self.course_method_ = single if isinstance(single, TestTimeEnsemble) else TestTimeEnsemble(single)
        method = self.course_method_
        fn = lambda w: method.denoise(w, float(method.sfreq))  # noqa: E731
        return lambda s: denoise_signals(s, sfreq, fn, float(method.sfreq), int(method.n_times), self.overlap,
                                         self.batch_size)

    def _choose(self, method: Method, joint: JointInput | None, reason: str, references: list[str]) -> None:
        """Run ``method`` (with ``joint`` when multichannel) and say so in the report."""
        self._use(method, joint)
        self.report_["model"] = {"name": getattr(method, "name", type(method).__name__),
                                 "multichannel": joint is not None, "reason": reason}
        self.report_["references"] = references
        self.report_["artifact_refit"] = self.refit_components if joint is not None else 0
        self.report_["artifact_sources"] = self.artifact_sources if joint is not None else 0
        self.report_["reference_regression"] = {} if self.reference_regression and references else None

    def _select(self, info, picks: np.ndarray) -> list[int]:
        """Pick the model for a recording's channels; returns the reference channels to read with them."""
        if self._auto():
            use, reason, joint = choose_model(info, picks)
            method = self._multichannel_method() if use else self.method_
        elif _is_multichannel(self.method_):
            joint, reason, method = joint_input(info, picks), "asked for", self.method_
        else:
            joint, reason, method = None, "asked for", self.method_
        refs = list(joint.ref_picks) if joint else []
        self._choose(method, joint, reason, [info["ch_names"][i] for i in refs])
        return refs

    def _select_array(self, n_rows: int) -> None:
        """Arrays carry no names or positions: each row alone, unless a multichannel model was asked for."""
        if _is_multichannel(self.method_):
            joint = JointInput(np.full((n_rows, 3), np.nan))
            reason = "asked for; an array has no channel positions, so every position is unknown"
        else:
            joint = None
            reason = ("an array carries no channel names or positions: each channel is cleaned on its own"
                      if self._auto() else "asked for")
        self._choose(self.method_, joint, reason, [])

    def _fn(self):
        if self._joint_live is None:
            return lambda w: self._active.denoise(w, self.sfreq_)
        n_eeg, pos, kinds = self._joint_live
        return lambda w: self._active.denoise_joint(w, pos, n_eeg, kinds)

    def _lowpasses(self, sfreq: float) -> bool:
        return self.above_band == "lowpass" and sfreq > self.sfreq_ + 1e-9

    def _model_context(self, sfreq: float, quantum: int) -> int:
        """Context the model's windows, the resampling and the optional low-pass need per side, in whole quanta."""
        margin = chunk_margin(sfreq, self.sfreq_, self.n_window_)
        if self._lowpasses(sfreq):
            import mne

            margin += len(mne.filter.create_filter(None, sfreq, None, MODEL_BAND_FRACTION * self.sfreq_,
                                                   verbose="error")) + 1
        return -(-margin // quantum) * quantum

    def chunk_plan(self, sfreq: float, n_times: int) -> tuple[int, int, int]:
        """How a signal at ``sfreq`` is cut: kept samples per chunk, context per side, and the quantum chunk starts
        are multiples of (:func:`~eegrecon.inference.chunk_quantum`).

        The context is the model's (:meth:`clean_segment` runs the network on the chunk plus that much) plus, with
        a mains notch, the notch's settling time (filtered, then cut off before the network).

        Parameters
        ----------
        sfreq : float
            The signal's rate, Hz.
        n_times : int
            Its length, samples (the chunk when ``chunk_s`` is None).

        Returns
        -------
        (int, int, int)
            Samples at ``sfreq``; the context is a multiple of the quantum.
        """
        hop_for(self.n_window_, self.overlap)  # a bad overlap is an OptionError before any work
        quantum = chunk_quantum(sfreq, self.sfreq_)
        margin = self._model_context(sfreq, quantum)
        if self.line_hz_:
            settle = int(np.ceil(NOTCH_SETTLE_TAUS * 30.0 / (np.pi * self.line_hz_) * sfreq))
            margin += -(-settle // quantum) * quantum
        chunk = n_times if self.chunk_s is None else int(np.ceil(self.chunk_s * sfreq))
        return chunk, margin, quantum

    def clean_segment(self, x: np.ndarray, sfreq: float, start: int = 0,
                      keep: tuple[int, int] | None = None) -> np.ndarray:
        """Notch, denoise and apply the above-band policy to a contiguous stretch of signal, without checks: the
        step every chunk goes through.

        Parameters
        ----------
        x : ndarray, shape (n_rows, n)
            Signals at ``sfreq``: the samples wanted plus their context (:meth:`chunk_plan`).
        sfreq : float
            Their rate, Hz.
        start : int
            Index of ``x[:, 0]`` in the whole signal (a multiple of the quantum of :meth:`chunk_plan`).
        keep : (int, int) or None
            The samples wanted, ``[keep[0], keep[1])`` of ``x`` (quantum-aligned start); None: all of ``x``. The
            network only runs on them and the model's context, not on the notch's extra context.

        Returns
        -------
        ndarray, shape (n_rows, keep[1] - keep[0])
            Cleaned, float64.
        """
        a, b = keep if keep is not None else (0, x.shape[1])
        as_read = x
        if self.line_hz_:
            x = notch(x, sfreq, self.line_hz_)
        context = self._model_context(sfreq, chunk_quantum(sfreq, self.sfreq_))
        lo, hi = max(0, a - context), min(x.shape[1], b + context)
        joint = None if self._joint_live is None else self._joint_live[0]
        broken = self._broken_channels(x, sfreq, lo, hi) if joint else []
        if broken:  # every spatial step sees them as their neighbours' interpolation; they come back as read
            x = x.copy()
            x[broken] = interpolation(self._joint_live[1], broken) @ x[:joint]
        y = denoise_signals(x[:, lo:hi], sfreq, self._fn(), self.sfreq_, self.n_window_, self.overlap,
                            self.batch_size, start=start + lo, joint=joint)
        recorded = x
        if joint and self.reference_regression and x.shape[0] > joint:
            x, y = self._regress_references(x, y, sfreq, start, lo, hi, joint)
        if joint and self.artifact_sources:
            y[:joint] = clean_in_source_space(x[:joint, lo:hi], y[:joint], self.artifact_sources,
                                              self._course_cleaner(sfreq), sfreq, x[joint:, lo:hi])
        if joint and self.refit_components:
            y[:joint] -= artifact_refit(x[:joint, lo:hi], y[:joint], self.refit_components)
        if joint:  # every step above removes in average reference: add the part common to all channels
            y[:joint] = restore_common_mode(recorded[:joint, lo:hi], y[:joint], sfreq)
            # the spatial road never touches the mains bins: the notch (where hum was found) is their only cleaner
            removed = recorded[:joint, lo:hi] - y[:joint]
            y[:joint] = np.where(removed != 0, recorded[:joint, lo:hi] - stop_mains_bins(removed, sfreq), y[:joint])
        if self._lowpasses(sfreq):
            y = bandpass(y, sfreq, None, MODEL_BAND_FRACTION * self.sfreq_)
        y[broken] = as_read[broken, lo:hi]
        return y[:, a - lo:b - lo]

    def _broken_channels(self, x: np.ndarray, sfreq: float, lo: int, hi: int) -> list[int]:
        """EEG rows of a multichannel stretch that look broken (:func:`~eegrecon.bad_channels.find_bad_channels`),
        logged by name in ``report_["broken_channels"]``."""
        found = find_bad_channels(x[:self._joint_live[0], lo:hi], sfreq)
        if found:
            log = self.report_.setdefault("broken_channels", {})
            names = getattr(self, "_joint_names", None)
            for row, why in found.items():
                log.setdefault(names[row] if names else f"row {row}", why)
        return sorted(found)

    def _regress_references(self, x: np.ndarray, y: np.ndarray, sfreq: float, start: int, lo: int, hi: int,
                            joint: int) -> tuple[np.ndarray, np.ndarray]:
        """Regression on the reference channels where the network agrees, then the network again on the result;
        logs each kind's weight in the report. Returns the (possibly regressed) input and the output."""
        from eegrecon.models.multichannel_net import REF_KINDS

        kinds = [REF_KINDS[k] for k in self._joint_live[2]]
        fit = reference_regression(x[:joint, lo:hi], y[:joint], x[joint:, lo:hi], kinds, sfreq)
        log = self.report_.get("reference_regression")
        if isinstance(log, dict):
            for kind, weight in fit.weights.items():
                entry = log.setdefault(kind, {"chunks": 0, "chunks_used": 0, "mean_weight": 0.0,
                                              "mean_agreement": 0.0})
                n = entry["chunks"]
                entry["mean_weight"] = (entry["mean_weight"] * n + weight) / (n + 1)
                agreement = fit.agreement[kind] if np.isfinite(fit.agreement[kind]) else 0.0  # too short: unused
                entry["mean_agreement"] = (entry["mean_agreement"] * n + agreement) / (n + 1)
                entry["chunks"] += 1
                entry["chunks_used"] += int(weight > 0)
        if not fit.used:
            return x, y
        x = x.copy()
        x[:joint, lo:hi] -= fit.correction
        y = denoise_signals(x[:, lo:hi], sfreq, self._fn(), self.sfreq_, self.n_window_, self.overlap,
                            self.batch_size, start=start + lo, joint=joint)
        return x, y

    def _survey(self, read: ReadFn, n_rows: int, n_times: int, sfreq: float, where: str,
                ch_names: list[str] | None, chunk: int) -> ChannelStats:
        """First pass, chunk by chunk: non-finite values (error), flat/clipped channels and the power above the
        model's band (report)."""
        stats = ChannelStats(n_rows)
        spectrum = SpectrumAccumulator(sfreq) if self.line_freq == "auto" else None
        edge, above, total = MODEL_BAND_FRACTION * self.sfreq_, 0.0, 0.0
        for start in range(0, n_times, max(chunk, 1)):
            block = np.asarray(read(start, min(start + chunk, n_times)), dtype=np.float64)
            check_finite(block, ch_names, where)
            stats.update(block)
            if spectrum is not None:  # a broken channel must not decide the notch for all the others
                eeg = np.flatnonzero(block[:n_rows if self._joint is None else len(self._joint.pos)].std(axis=1) > 0)
                keep = np.ones(n_rows, bool)
                keep[eeg[list(find_bad_channels(block[eeg], sfreq))]] = False
                spectrum.update(block[keep])
            if sfreq > self.sfreq_ + 1e-9 and block.shape[1] > 1:
                f, p = welch(block, fs=sfreq, nperseg=min(block.shape[1], int(2 * sfreq)), axis=-1)
                above += float(p[:, f > edge].sum()) * block.shape[1]
                total += float(p.sum()) * block.shape[1]
        self._power_share = above / max(total, 1e-300)
        self._line_found = (detect_line_noise(spectrum.freqs, spectrum.psd, sfreq, spectrum.segments)
                            if spectrum is not None and spectrum.psd is not None else None)
        return stats

    def _report_checks(self, stats: ChannelStats, ch_names: list[str] | None, sfreq: float, where: str,
                       units: str | None) -> np.ndarray:
        """Fill the report from the survey; the indices of the rows to clean (not flat)."""
        self.report_["units_warning"] = check_units(None, units, where, std=stats.std)
        self.report_["precision"] = getattr(self._active, "precision", None)
        names = channel_names(len(stats.std), ch_names)
        flat = stats.flat()
        self.report_["flat_channels"] = [names[i] for i in np.flatnonzero(flat)]
        clipped = [names[i] for i in stats.clipped()]
        self.report_["clipped_channels"] = clipped
        if clipped:
            warnings.warn(f"{where}: channel(s) {', '.join(clipped[:8])} look clipped (many samples at the channel's "
                          "min or max): they are denoised, but clipped peaks cannot be restored", UserWarning,
                          stacklevel=4)
        live = np.flatnonzero(~flat)
        found = self._line_found
        if self.line_freq == "auto":
            self.line_hz_ = found.freq if found is not None else None
        self.report_["line_noise"] = {
            "policy": self.line_freq if self.line_freq in (None, "auto") else "fixed",
            "detected_hz": found.freq if found is not None else None,
            "prominence_db": round(found.prominence_db, 1) if found is not None else None,
            "notched_hz": self.line_hz_ if len(live) else None}
        self.report_["above_model_band"] = None
        if sfreq > self.sfreq_ + 1e-9 and len(live):
            self.report_["above_model_band"] = {"policy": self.above_band, "edge_hz": MODEL_BAND_FRACTION * self.sfreq_,
                                                "input_power_share": self._power_share}
        return live

    def _iter_clean(self, read: ReadFn, n_rows: int, n_times: int, sfreq: float, where: str,
                    ch_names: list[str] | None = None, runs: Sequence[tuple[int, int]] | None = None,
                    keep: list[tuple[int, int]] | None = None,
                    units: str | None = "V") -> Iterator[tuple[int, int, np.ndarray]]:
        """Clean ``n_rows`` signals read chunk by chunk; yields ``(start, stop, cleaned)`` tiling [0, n_times).

        ``runs``: contiguous stretches cleaned as separate signals (default: one). ``keep``: sample spans
        returned exactly as read (``bad_*`` annotations).
        """
        runs = [(0, n_times)] if not runs else runs
        survey_chunk = n_times if self.chunk_s is None else int(np.ceil(self.chunk_s * sfreq))
        live = self._report_checks(self._survey(read, n_rows, n_times, sfreq, where, ch_names, survey_chunk),
                                   ch_names, sfreq, where, units)
        if self._joint is not None:  # the multichannel model sees the live EEG rows, then the live references
            n_eeg = len(self._joint.pos)
            eeg, refs = live[live < n_eeg], live[live >= n_eeg] - n_eeg
            self._joint_live = (len(eeg), self._joint.pos[eeg], _kind_indices(self._joint.ref_kinds)[refs])
            self._joint_names = [channel_names(n_rows, ch_names)[i] for i in eeg]
            self.report_["broken_channels"] = {}
        chunk, margin, quantum = self.chunk_plan(sfreq, n_times)  # after the survey: the notch sets the context
        shortest = min(stop - start for start, stop in runs)
        padded = int(round(shortest * self.sfreq_ / sfreq)) < self.n_window_
        self.report_.update(resampled=abs(sfreq - self.sfreq_) > 1e-9, model_sfreq=self.sfreq_, padded=padded,
                            segments=len(runs))
        if padded:
            warnings.warn(f"{where}: {shortest / sfreq:.3g} s is shorter than one model window "
                          f"({self.n_window_ / self.sfreq_:g} s); the signal is reflect-padded", UserWarning,
                          stacklevel=3)
        cleaned = live if self._joint is None else live[live < len(self._joint.pos)]
        self.power_change_ = PowerChange(sfreq, [channel_names(n_rows, ch_names)[i] for i in cleaned])
        for r0, r1 in runs:
            if r1 - r0 < 2:  # a single sample between two boundaries cannot be filtered: returned as it is
                yield r0, r1, np.asarray(read(r0, r1), dtype=np.float64)
                continue
            for ra, rb, a, b in chunk_spans(r1 - r0, chunk, margin, quantum):
                read_span = np.asarray(read(r0 + ra, r0 + rb), dtype=np.float64)
                orig = read_span[:, a - ra:b - ra]
                out = orig.copy()
                if len(live):
                    out[live] = self.clean_segment(read_span[live], sfreq, ra, (a - ra, b - ra))
                if keep:
                    mask = _span_mask(keep, r0 + a, r0 + b)
                    out[:, mask] = orig[:, mask]
                self.report_["power_change"] = self.power_change_.update(orig[cleaned], out[cleaned]).largest_rise()
                yield r0 + a, r0 + b, out

    def _clean(self, data: np.ndarray, sfreq: float, where: str, units: str | None,
               ch_names: list[str] | None = None) -> np.ndarray:
        _check_array(data, sfreq, where, ch_names)
        out = np.empty(data.shape, dtype=np.float64)
        for start, stop, block in self._iter_clean(lambda a, b: data[:, a:b], data.shape[0], data.shape[1], sfreq,
                                                   where, ch_names, units=units):
            out[:, start:stop] = block
        return out

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
        self._use(self.method_, None)
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

    def artifact_map(self, X, sfreq: float | None = None) -> tuple[list[str], np.ndarray]:
        """Where, and how much, the model sees artifact: its gate per channel and sample, at the input's rate.

        The first thing to look at: 0 means the sample is returned exactly as it came in, 1 that the model's whole
        artifact estimate is subtracted there. Uses the model :meth:`transform` would use (``report_["model"]``);
        the recording is read at once (no chunking) and mains is not notched first.

        Parameters
        ----------
        X : mne.io.Raw or ndarray, shape (n_chans, n_times)
            The recording.
        sfreq : float or None
            Sampling rate of an ndarray, Hz.

        Returns
        -------
        (list of str, ndarray of shape (n_chans, n_times))
            The cleaned channels' names and their map in [0, 1].
        """
        import mne

        from eegrecon.data.preprocess import resample
        from eegrecon.inference import overlap_add_map

        check_is_fitted(self, "call Denoiser(...).fit() first (it loads the model), or use fit_transform")
        self.report_ = {}
        self._use(self.method_, None)
        if isinstance(X, mne.io.BaseRaw):
            picks = self._picks(X.info)
            rows = np.r_[picks, self._select(X.info, picks)].astype(int)
            data, sf = X.get_data(picks=rows), float(X.info["sfreq"])
            names = [X.ch_names[i] for i in picks]
        elif isinstance(X, np.ndarray) and X.ndim == 2:
            if sfreq is None:
                raise EegreconError("artifact_map(ndarray) needs the sampling rate: artifact_map(X, sfreq=...)")
            sf, data = _check_sfreq(sfreq, "array"), _as_float_array(X, "array")
            self._select_array(data.shape[0])
            names = channel_names(data.shape[0])
        else:
            raise EegreconError("artifact_map takes an mne Raw or a 2-D array (n_chans, n_times)")
        if not hasattr(self._active, "artifact_map"):
            raise EegreconError(f"{self._active!r} gives no artifact map (only eegrecon networks do)")
        at_model = data if abs(sf - self.sfreq_) < 1e-9 else resample(data, sf, self.sfreq_)
        joint = None
        if self._joint is not None:
            joint = len(self._joint.pos)
            kinds = _kind_indices(self._joint.ref_kinds)
            fn = lambda w: self._active.artifact_map(w, self._joint.pos, joint, kinds)  # noqa: E731
        else:
            fn = self._active.artifact_map
        gate = overlap_add_map(at_model, fn, self.n_window_, self.overlap, joint)
        t_in, t_model = np.arange(data.shape[1]) / sf, np.arange(gate.shape[1]) / self.sfreq_
        return names, np.stack([np.interp(t_in, t_model, row) for row in gate])

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
        self._select_array(moved.shape[-2] if moved.ndim >= 2 else 1)
        if self._joint is not None:  # a multichannel model: each (n_chans, n_times) recording at once
            recs = moved.reshape(-1, *moved.shape[-2:]) if moved.ndim >= 2 else moved[None, None]
            out = np.stack([self._clean(r, sfreq, "array", self.units) for r in recs]).reshape(moved.shape)
        else:  # every row is one signal: (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times)
            rows = moved.reshape(int(np.prod(moved.shape[:-1])), moved.shape[-1])
            out = self._clean(rows, sfreq, "array", self.units).reshape(moved.shape)
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

    def iter_raw(self, raw, boundaries: Sequence[int] = (),
                 exclude: dict[str, str] | None = None) -> Iterator[tuple[int, int, np.ndarray]]:
        """Clean a Raw chunk by chunk, reading only what each chunk needs (a Raw that is not preloaded stays so).

        Memory stays bounded by ``chunk_s``, whatever the recording's length. Fills :attr:`report_` first.

        Parameters
        ----------
        raw : mne.io.Raw
            The recording (preloaded or not); never modified.
        boundaries : sequence of int
            Extra sample indices where the recording is discontinuous (added to the boundary annotations).
        exclude : dict of str to str or None
            Channels not to clean, with the reason (listed in ``report_["excluded"]``).

        Yields
        ------
        (int, int, ndarray)
            ``start``, ``stop`` (samples) and the cleaned data of *every* channel over ``[start, stop)``, in volts;
            the spans tile the recording in order.
        """
        check_is_fitted(self, "call Denoiser(...).fit() first (it loads the model), or use fit_transform")
        self.report_ = {}
        where = str(raw.filenames[0]) if getattr(raw, "filenames", None) and raw.filenames[0] else "Raw"
        exclude = dict(exclude or {})
        picks = np.asarray([i for i in self._picks(raw.info) if raw.ch_names[i] not in exclude], dtype=int)
        names = [raw.ch_names[i] for i in picks]
        self.report_.update(channels=names, untouched=[c for c in raw.ch_names if c not in names],
                            excluded=exclude)
        refs = [i for i in self._select(raw.info, picks) if raw.ch_names[i] not in exclude]
        n = raw.n_times
        if n < 2:
            raise DataError(f"{where}: the recording has {n} sample(s); nothing to denoise")
        if not len(picks):
            warnings.warn(f"{where}: no EEG channels to clean (bad or non-EEG only); returned unchanged",
                          UserWarning, stacklevel=3)
            for start in range(0, n, int(120 * raw.info["sfreq"])):
                stop = min(n, start + int(120 * raw.info["sfreq"]))
                yield start, stop, raw.get_data(start=start, stop=stop)
            return
        spans = [(max(a, 0), min(b, n)) for a, b in _bad_spans(raw) if b > 0 and a < n]
        self.report_["bad_annotation_s"] = float(_span_mask(spans, 0, n).sum() / raw.info["sfreq"]) if spans else 0.0
        cuts = sorted({0, n, *(int(b) for b in boundaries if 0 < b < n), *_boundary_samples(raw)})
        runs = list(zip(cuts[:-1], cuts[1:]))
        others = np.setdiff1d(np.arange(len(raw.ch_names)), picks)

        rows = np.r_[picks, refs].astype(int)  # references (multichannel model) are read, used, never changed

        def read(a: int, b: int) -> np.ndarray:
            return raw.get_data(picks=rows, start=a, stop=b)

        for start, stop, block in self._iter_clean(read, len(rows), n, raw.info["sfreq"], where,
                                                   [raw.ch_names[i] for i in rows], runs, spans, units="V"):
            full = np.empty((len(raw.ch_names), stop - start))
            full[picks] = block[:len(picks)]
            if len(others):
                full[others] = raw.get_data(picks=others, start=start, stop=stop)
            yield start, stop, full

    def _transform_raw(self, raw):
        out = raw.copy().load_data()
        for start, stop, block in self.iter_raw(raw):
            out._data[:, start:stop] = block
        return out

    def _transform_epochs(self, epochs):
        out, picks, _ = self._mne_copy(epochs, "Epochs")
        if not len(picks):
            return out
        refs = self._select(epochs.info, picks)
        if self._joint is not None:  # each epoch's channels (and references) together
            data = out.get_data(picks=np.r_[picks, refs].astype(int))
            names = [epochs.ch_names[i] for i in np.r_[picks, refs].astype(int)]
            for e in range(len(data)):
                out._data[e, picks] = self._clean(data[e], epochs.info["sfreq"], "Epochs", "V", names)[:len(picks)]
            return out
        data = out.get_data(picks=picks)  # (n_epochs, n_picks, n_times): every epoch of every channel is a row
        rows = data.reshape(-1, data.shape[-1])
        out._data[:, picks] = self._clean(rows, epochs.info["sfreq"], "Epochs", "V").reshape(data.shape)
        return out


def _is_multichannel(method: Any) -> bool:
    return bool(getattr(method, "multichannel", False))


def _kind_indices(kinds: list[str]) -> np.ndarray:
    """Reference kinds (``"eog"``, ``"ecg"``) → the multichannel model's kind indices."""
    from eegrecon.models.multichannel_net import REF_KINDS

    return np.array([REF_KINDS.index(k) for k in kinds], dtype=np.int64)


def denoise(data, sfreq: float, model: str | Path | Any = "auto", units: str | None = "uV",
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
