"""The chunk engine: one recording's signals, read chunk by chunk, cleaned by one model.

Every input — an array, Epochs, a Raw, a file, a live stream — comes here as a read function. The engine surveys
the signal (:mod:`~eegrecon.clean.survey`), plans chunks that start on the whole signal's window grid and carry
the context windows, resampling and filters need (:mod:`~eegrecon.clean.chunks`), and cleans each chunk:
notch → network on resampled overlap-added windows (:mod:`~eegrecon.clean.windows`) → spatial stage for the
multichannel model (:mod:`~eegrecon.clean.spatial.stage`) → optional low-pass. Chunked and whole-signal results of
the network are equal; the spatial stage fits over each chunk.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from eegrecon.clean.chunks import chunk_margin, chunk_quantum, chunk_spans
from eegrecon.clean.model_choice import Choice, ModelSet, kind_indices
from eegrecon.clean.power_change import PowerChange
from eegrecon.clean.recording import Recording
from eegrecon.clean.spatial.stage import SpatialStage
from eegrecon.clean.survey import MODEL_BAND_FRACTION, report_survey, survey
from eegrecon.clean.windows import denoise_signals
from eegrecon.signal.filters import bandpass, hop_for, notch
from eegrecon.signal.validate import channel_names

#: time constants of the mains notch (Q = 30) a chunk's context spans, so that chunk edges leave no trace
#: (exp(-40) ≈ 4e-18 of the signal)
NOTCH_SETTLE_TAUS = 40


@dataclass
class Settings:
    """The Denoiser's options the engine runs with (see :class:`~eegrecon.Denoiser`).

    Parameters
    ----------
    overlap : float
        Overlap of the model's windows.
    batch_size : int
        Windows per forward pass.
    line_freq : "auto", float or None
        The mains option.
    line_hz : float or None
        The frequency notched when ``line_freq`` is a number.
    above_band : str
        Policy above the model's band.
    chunk_s : float or None
        Seconds per chunk (None: the whole signal).
    refit_components, artifact_sources : int
        Spatial-stage options.
    reference_regression : bool
        Spatial-stage option.
    """

    overlap: float = 0.5
    batch_size: int = 256
    line_freq: Any = "auto"
    line_hz: float | None = None
    above_band: str = "keep"
    chunk_s: float | None = 120.0
    refit_components: int = 0
    artifact_sources: int = 2
    reference_regression: bool = True


class ChunkEngine:
    """Cleans the signals of one recording with one model.

    Parameters
    ----------
    settings : Settings
        Options.
    choice : Choice
        The model and, for a multichannel one, its positions and references.
    models : ModelSet
        Where the single-channel model for artifact courses comes from.
    report : dict
        Filled as the work goes (the Denoiser's ``report_``).
    """

    def __init__(self, settings: Settings, choice: Choice, models: ModelSet, report: dict[str, Any]):
        self.settings, self.method, self.joint, self.models = settings, choice.method, choice.joint, models
        self.report = report
        self.sfreq = float(choice.method.sfreq)
        self.n_window = int(choice.method.n_times)
        self.line_hz = settings.line_hz
        self.live_joint: tuple[int, np.ndarray, np.ndarray] | None = None  # (n_eeg, positions, kinds) as it runs
        self.power_change: PowerChange | None = None
        self.stage = SpatialStage(settings.reference_regression, settings.artifact_sources,
                                  settings.refit_components,
                                  lambda sfreq: models.course_cleaner(sfreq, settings.overlap, settings.batch_size),
                                  report)

    def _fn(self) -> Callable[[np.ndarray], np.ndarray]:
        if self.live_joint is None:
            return lambda w: self.method.denoise(w, self.sfreq)
        n_eeg, pos, kinds = self.live_joint
        return lambda w: self.method.denoise_joint(w, pos, n_eeg, kinds)

    def _lowpasses(self, sfreq: float) -> bool:
        return self.settings.above_band == "lowpass" and sfreq > self.sfreq + 1e-9

    def _model_context(self, sfreq: float, quantum: int) -> int:
        """Context the model's windows, the resampling and the optional low-pass need per side, in whole quanta."""
        margin = chunk_margin(sfreq, self.sfreq, self.n_window)
        if self._lowpasses(sfreq):
            import mne

            margin += len(mne.filter.create_filter(None, sfreq, None, MODEL_BAND_FRACTION * self.sfreq,
                                                   verbose="error")) + 1
        return -(-margin // quantum) * quantum

    def chunk_plan(self, sfreq: float, n_times: int) -> tuple[int, int, int]:
        """How a signal at ``sfreq`` is cut: kept samples per chunk, context per side, and the quantum chunk starts
        are multiples of (:func:`~eegrecon.clean.chunks.chunk_quantum`).

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
        hop_for(self.n_window, self.settings.overlap)  # a bad overlap is an OptionError before any work
        quantum = chunk_quantum(sfreq, self.sfreq)
        margin = self._model_context(sfreq, quantum)
        if self.line_hz:
            settle = int(np.ceil(NOTCH_SETTLE_TAUS * 30.0 / (np.pi * self.line_hz) * sfreq))
            margin += -(-settle // quantum) * quantum
        chunk = n_times if self.settings.chunk_s is None else int(np.ceil(self.settings.chunk_s * sfreq))
        return chunk, margin, quantum

    def clean_segment(self, x: np.ndarray, sfreq: float, start: int = 0,
                      keep: tuple[int, int] | None = None) -> np.ndarray:
        """Notch, denoise, run the spatial stage and apply the above-band policy to a contiguous stretch of signal,
        without checks: the step every chunk goes through.

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
        if self.line_hz:
            x = notch(x, sfreq, self.line_hz)
        context = self._model_context(sfreq, chunk_quantum(sfreq, self.sfreq))
        lo, hi = max(0, a - context), min(x.shape[1], b + context)
        n_eeg = None if self.live_joint is None else self.live_joint[0]
        broken = self.stage.broken_rows(x[:, lo:hi], sfreq, n_eeg) if n_eeg else []
        if broken:  # every spatial step sees them as their neighbours' interpolation; they come back as read
            x = self.stage.interpolate(x, broken, self.live_joint[1], n_eeg)

        def network(signals: np.ndarray) -> np.ndarray:
            return denoise_signals(signals[:, lo:hi], sfreq, self._fn(), self.sfreq, self.n_window,
                                   self.settings.overlap, self.settings.batch_size, start=start + lo, joint=n_eeg)

        y = network(x)
        if n_eeg:
            from eegrecon.models.multichannel_net import REF_KINDS

            kinds = [REF_KINDS[k] for k in self.live_joint[2]]
            y = self.stage.apply(x, y, sfreq, lo, hi, n_eeg, kinds, network)
        if self._lowpasses(sfreq):
            y = bandpass(y, sfreq, None, MODEL_BAND_FRACTION * self.sfreq)
        y[broken] = as_read[broken, lo:hi]
        return y[:, a - lo:b - lo]

    def iter_clean(self, rec: Recording) -> Iterator[tuple[int, int, np.ndarray]]:
        """Clean a recording's rows read chunk by chunk; yields ``(start, stop, cleaned)`` tiling [0, n_times).

        Parameters
        ----------
        rec : Recording
            The rows, how to read them and what is known of them.

        Yields
        ------
        (int, int, ndarray)
            ``start``, ``stop`` and the cleaned rows over ``[start, stop)``.
        """
        read, n_rows, n_times, sfreq, where = rec.read, rec.n_rows, rec.n_times, rec.sfreq, rec.where
        ch_names, runs, keep, units = rec.ch_names, rec.runs, rec.bad_spans, rec.units
        runs = [(0, n_times)] if not runs else runs
        s = self.settings
        survey_chunk = n_times if s.chunk_s is None else int(np.ceil(s.chunk_s * sfreq))
        found = survey(read, n_rows, n_times, sfreq, where, ch_names, survey_chunk, self.sfreq,
                       s.line_freq == "auto", None if self.joint is None else len(self.joint.pos))
        live, self.line_hz = report_survey(found, self.report, ch_names, sfreq, where, units, s.line_freq,
                                           self.line_hz, s.above_band, self.sfreq,
                                           getattr(self.method, "precision", None))
        names = channel_names(n_rows, ch_names)
        if self.joint is not None:  # the multichannel model sees the live EEG rows, then the live references
            n_eeg = len(self.joint.pos)
            eeg, refs = live[live < n_eeg], live[live >= n_eeg] - n_eeg
            self.live_joint = (len(eeg), self.joint.pos[eeg], kind_indices(self.joint.ref_kinds)[refs])
            self.stage.names = [names[i] for i in eeg]
            self.report["broken_channels"] = {}
        chunk, margin, quantum = self.chunk_plan(sfreq, n_times)  # after the survey: the notch sets the context
        shortest = min(stop - start for start, stop in runs)
        padded = int(round(shortest * self.sfreq / sfreq)) < self.n_window
        self.report.update(resampled=abs(sfreq - self.sfreq) > 1e-9, model_sfreq=self.sfreq, padded=padded,
                           segments=len(runs))
        if padded:
            warnings.warn(f"{where}: {shortest / sfreq:.3g} s is shorter than one model window "
                          f"({self.n_window / self.sfreq:g} s); the signal is reflect-padded", UserWarning,
                          stacklevel=4)
        cleaned = live if self.joint is None else live[live < len(self.joint.pos)]
        self.power_change = PowerChange(sfreq, [names[i] for i in cleaned])
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
                    mask = span_mask(keep, r0 + a, r0 + b)
                    out[:, mask] = orig[:, mask]
                self.report["power_change"] = self.power_change.update(orig[cleaned], out[cleaned]).largest_rise()
                yield r0 + a, r0 + b, out

    def clean_array(self, data: np.ndarray, sfreq: float, where: str, units: str | None,
                    ch_names: list[str] | None = None) -> np.ndarray:
        """:meth:`iter_clean` on rows held in memory, gathered.

        Parameters
        ----------
        data : ndarray, shape (n_rows, n_times)
            Signals (already checked).
        sfreq : float
            Rate, Hz.
        where : str
            What to call it in warnings.
        units : str or None
            The declared unit.
        ch_names : list of str or None
            Row names.

        Returns
        -------
        ndarray, shape (n_rows, n_times)
            Float64.
        """
        out = np.empty(data.shape, dtype=np.float64)
        for start, stop, block in self.iter_clean(Recording.from_array(data, sfreq, where, units, ch_names)):
            out[:, start:stop] = block
        return out


def span_mask(spans: list[tuple[int, int]], start: int, stop: int) -> np.ndarray:
    """True where one of ``spans`` covers a sample of [start, stop).

    Parameters
    ----------
    spans : list of (int, int)
        Sample spans ``[a, b)``.
    start, stop : int
        The stretch asked about.

    Returns
    -------
    ndarray of bool, shape (stop - start,)
    """
    mask = np.zeros(stop - start, bool)
    for a, b in spans:
        mask[max(a - start, 0):max(min(b, stop) - start, 0)] = True
    return mask
