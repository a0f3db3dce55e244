"""``Denoiser`` (scikit-learn transformer contract) and ``denoise`` for arrays: the facade of the cleaning road.

    from eegrecon import Denoiser, denoise
    raw_clean = Denoiser().fit().transform(raw)          # mne.io.Raw in → Raw out (volts), input untouched
    clean = denoise(data_uv, sfreq=500.0)                # (n_chans, n_times) ndarray in → same shape and units

It checks its options, loads the models (:class:`~eegrecon.clean.model_choice.ModelSet`), hands the input to its
adapter (:mod:`~eegrecon.clean.adapters`) and keeps what the run reported; the work is done by the chunk engine
(:mod:`~eegrecon.clean.engine`) and the spatial stage (:mod:`~eegrecon.clean.spatial.stage`). docs/cleaning.md
tells what happens to a recording.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eegrecon.clean import adapters
from eegrecon.clean.engine import Settings
from eegrecon.clean.inputs import as_float_array, check_line_freq, check_rise_limit, check_sfreq
from eegrecon.clean.model_choice import ModelSet
from eegrecon.clean.power_guard import RISE_LIMIT_DB
from eegrecon.errors import EegreconError, OptionError
from eegrecon.estimator import Estimator, check_is_fitted
from eegrecon.options import ABOVE_BAND_POLICIES, AboveBand, check_option

_NOT_FITTED = "call Denoiser(...).fit() first (it loads the model), or use fit_transform"


class Denoiser(Estimator):
    """Clean EEG with a trained model: ``Denoiser(model).fit().transform(X)``.

    Parameters
    ----------
    model : "auto", str, Path, Method or torch.nn.Module
        ``"auto"``: the multichannel model for Raw and Epochs with ≥ 8 EEG channels of known position (their
        EOG/ECG channels as references), the single-channel model otherwise (:mod:`~eegrecon.clean.model_choice`);
        or a shipped model name, checkpoint, Method or network for every input.
    overlap : float
        Overlap of consecutive model windows (0.5: every sample seen twice).
    picks : str or list of str
        MNE channel types or names to clean; other channels are untouched.
    units : {"uV", "V"} or None
        The unit of ndarrays (a sanity warning only: cleaning is scale-invariant).
    batch_size : int
        Windows per forward pass.
    line_freq : "auto", float or None
        Mains notched before the model: ``"auto"`` where the recording's spectrum shows a 50/60-Hz peak
        (:func:`~eegrecon.signal.mains.detect_line_noise`), a number always, None never (``report_["line_noise"]``).
    ensemble : bool
        Average a single-channel model over sign flip and time reversal (4× slower).
    above_band : {"keep", "lowpass"}
        Content above the model's band (0.45 × its rate) in faster recordings: kept as recorded, or low-passed.
    chunk_s : float or None
        Seconds cleaned at once (memory, not the network's result, grows with it); None: all at once.
    precision : {"auto", "float32", "bfloat16"}
        A network's arithmetic; ``"auto"``: bfloat16 where the CPU computes it natively.
    refit_components, artifact_sources : int
        Multichannel model: courses of the per-chunk refit (:mod:`~eegrecon.clean.spatial.refit`; 0: off);
        topographies redone in source space (:mod:`~eegrecon.clean.spatial.artifact_sources`).
    reference_regression, recording_fit : bool
        Multichannel model: regress on EOG/ECG channels where the network agrees
        (:mod:`~eegrecon.clean.spatial.reference_regression`); fit the source step's topographies over the
        whole recording in a pre-pass (:mod:`~eegrecon.clean.spatial.recording_fit`; False: per chunk).
    rise_limit_db : float or None
        Largest band-power rise per 10-s channel stretch (:mod:`~eegrecon.clean.power_guard`); None: no guard.

    Attributes
    ----------
    method_ : Method
        The single-channel model, or the model asked for (after ``fit``).
    sfreq_, n_window_ : float, int
        The rate (Hz) and window (samples) of the model that ran last.
    report_ : dict
        After ``transform``: the model and why, channels, mains, segments, broken channels, power change, ….
    power_change_ : PowerChange
        Power per channel and band before and after the last cleaning (:mod:`~eegrecon.clean.power_change`).
    """

    def __init__(self, model: str | Path | Any = "auto", overlap: float = 0.5, picks: str | list = "eeg",
                 units: str | None = "uV", batch_size: int = 256, line_freq: float | str | None = "auto",
                 ensemble: bool = False, above_band: AboveBand = "keep", chunk_s: float | None = 120.0,
                 precision: str = "auto", refit_components: int = 0, reference_regression: bool = True,
                 artifact_sources: int = 2, recording_fit: bool = True,
                 rise_limit_db: float | None = RISE_LIMIT_DB):
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
        self.recording_fit = recording_fit
        self.rise_limit_db = rise_limit_db

    def _is_fitted(self) -> bool:
        return hasattr(self, "method_")

    def fit(self, X=None, y=None) -> Denoiser:
        """Check the options and load the model (nothing is learned from ``X``: the model is pretrained).

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
        self.line_hz_ = check_line_freq(self.line_freq)
        for name in ("refit_components", "artifact_sources"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                raise OptionError(f"{name} must be a whole number ≥ 0 (0: off), got {value!r}")
        for name in ("reference_regression", "recording_fit"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise OptionError(f"{name} must be True or False, got {getattr(self, name)!r}")
        check_rise_limit(self.rise_limit_db)
        if self.chunk_s is not None and not (np.isfinite(self.chunk_s) and self.chunk_s > 0):
            raise OptionError(f"chunk_s must be a positive number of seconds or None, got {self.chunk_s!r}")
        self.models_ = ModelSet(self.model, self.precision, self.ensemble)
        self.method_ = self.models_.main
        self.engine_ = None
        self.sfreq_, self.n_window_ = float(self.method_.sfreq), int(self.method_.n_times)
        return self

    def context(self) -> adapters.Context:
        """A new call's context (:class:`~eegrecon.clean.adapters.Context`; ``report_`` is replaced as it runs)."""
        check_is_fitted(self, _NOT_FITTED)
        settings = Settings(self.overlap, self.batch_size, self.line_freq, self.line_hz_, self.above_band,
                            self.chunk_s, self.refit_components, self.artifact_sources, self.reference_regression,
                            self.recording_fit, self.rise_limit_db)
        ctx = adapters.Context(self.models_, settings, self.picks, self.units)
        self.report_ = ctx.report
        self.sfreq_, self.n_window_ = float(self.method_.sfreq), int(self.method_.n_times)
        return ctx

    def _done(self, ctx: adapters.Context) -> None:
        """Keep what the call's engine knows: the model's rate and window, the mains decision, the power change."""
        if ctx.engine is not None:
            self.engine_, self.sfreq_, self.n_window_ = ctx.engine, ctx.engine.sfreq, ctx.engine.n_window
            self.line_hz_ = ctx.engine.line_hz if self.line_freq == "auto" else self.line_hz_
            self.power_change_ = ctx.engine.power_change

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
            Which axis of an ndarray is time. None: the last, except that a 2-D array that looks like
            (n_times, n_chans) (:func:`~eegrecon.clean.inputs.looks_transposed`) is cleaned as such, with a warning.

        Returns
        -------
        mne.io.Raw, mne.Epochs or ndarray
            The cleaned copy: same type, shape and units.
        """
        ctx = self.context()
        import mne

        try:
            if isinstance(X, mne.io.BaseRaw):
                return adapters.clean_raw(ctx, X)
            if isinstance(X, mne.BaseEpochs):
                return adapters.clean_epochs(ctx, X)
            if isinstance(X, np.ndarray | list | tuple):
                if sfreq is None:
                    raise EegreconError("transform(ndarray) needs the sampling rate: transform(X, sfreq=...)")
                return adapters.clean_array(ctx, as_float_array(X, "array"), check_sfreq(sfreq, "array"), time_axis)
        finally:
            self._done(ctx)
        raise EegreconError(f"cannot denoise a {type(X).__name__}: pass an mne Raw, mne Epochs or a NumPy array")

    def fit_transform(self, X, y=None, sfreq: float | None = None, time_axis: int | None = None):
        """``fit()`` then ``transform(X, sfreq, time_axis)``.

        Parameters
        ----------
        X, sfreq, time_axis
            See :meth:`transform`.
        y : ignored
            Accepted for the scikit-learn contract.
        """
        return self.fit(X).transform(X, sfreq=sfreq, time_axis=time_axis)

    def artifact_map(self, X, sfreq: float | None = None) -> tuple[list[str], np.ndarray]:
        """Where, and how much, the model sees artifact: its gate per channel and sample, at the input's rate.

        0: the sample comes back exactly as it came in; 1: the model's whole artifact estimate is subtracted.

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
        ctx = self.context()
        try:
            return adapters.artifact_map(ctx, X, sfreq)
        finally:
            self._done(ctx)

    def iter_raw(self, raw, boundaries: Sequence[int] = (), exclude: dict[str, str] | None = None,
                 limits: dict[str, tuple[float, float]] | None = None) -> Iterator[tuple[int, int, np.ndarray]]:
        """Clean a Raw chunk by chunk, reading only what each chunk needs (memory bounded by ``chunk_s``).

        Parameters
        ----------
        raw : mne.io.Raw
            The recording (preloaded or not); never modified.
        boundaries : sequence of int
            Extra sample indices where the recording is discontinuous (added to the boundary annotations).
        exclude : dict of str to str or None
            Channels not to clean, with the reason (listed in ``report_["excluded"]``).
        limits : dict of str to (float, float) or None
            The range, volts, each channel can be written in (a file's physical range): a cleaned sample beyond it
            is returned as read, never clipped (counted in ``report_["out_of_range_kept"]``).

        Yields
        ------
        (int, int, ndarray)
            ``start``, ``stop`` (samples) and the cleaned data of *every* channel over ``[start, stop)``, in volts;
            the spans tile the recording in order.
        """
        ctx = self.context()
        try:
            yield from adapters.iter_raw(ctx, raw, boundaries, exclude, limits)
        finally:
            self._done(ctx)

    def qc_report(self, before, after, title: str = "eegrecon cleaning"):
        """The QC report (``mne.Report``) of the last cleaning (:func:`~eegrecon.clean.qc.qc_report`).

        Parameters
        ----------
        before, after : mne.io.Raw or mne.Epochs
            The recording as given to :meth:`transform` and as it came back.
        title : str
            The report's title.
        """
        from eegrecon.clean.qc import qc_report

        return qc_report(before, after, getattr(self, "report_", None), title)

    def chunk_plan(self, sfreq: float, n_times: int) -> tuple[int, int, int]:
        """:meth:`~eegrecon.clean.engine.ChunkEngine.chunk_plan` of the last engine (or one running :attr:`method_`).

        Parameters
        ----------
        sfreq, n_times
            The signal's rate (Hz) and length (samples).
        """
        check_is_fitted(self, _NOT_FITTED)
        if self.engine_ is None:
            self.engine_ = self.context().engine_for(self.models_.for_array(1))
        return self.engine_.chunk_plan(sfreq, n_times)


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
