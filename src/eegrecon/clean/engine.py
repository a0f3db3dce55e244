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

from eegrecon.blas import single_threaded_blas
from eegrecon.clean.chunks import chunk_margin, chunk_quantum, chunk_spans, span_mask
from eegrecon.clean.model_choice import Choice, ModelSet, kind_indices
from eegrecon.clean.power_change import PowerChange
from eegrecon.clean.power_guard import GAIN_FLOOR_DB, RISE_LIMIT_DB, guard_power, keep_as_read, keep_in_range, stretches
from eegrecon.clean.recording import Recording
from eegrecon.clean.spatial.common_mode import is_average_referenced
from eegrecon.clean.spatial.recording_fit import FIT_CHUNKS, TopographyPool
from eegrecon.clean.spatial.stage import SpatialStage
from eegrecon.clean.survey import MODEL_BAND_FRACTION, report_survey, survey
from eegrecon.clean.window_cache import WindowCache
from eegrecon.clean.windows import denoise_signals
from eegrecon.signal.baseline import baseline_settle, slow_baseline
from eegrecon.signal.filters import bandpass, hop_for, notch
from eegrecon.signal.validate import channel_names

#: network outputs the pre-pass holds for the cleaning pass: it pools as many leading chunks as fit (at least one)
CACHE_BYTES = 96 * 2 ** 20
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
    recording_fit : bool
        Fit the source step's topographies over the whole recording in a pre-pass (else per chunk).
    rise_limit_db : float or None
        The power guard's limit (:mod:`~eegrecon.clean.power_guard`); None: no guard.
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
    recording_fit: bool = True
    rise_limit_db: float | None = RISE_LIMIT_DB


@dataclass
class Stretch:
    """A chunk with its context after the network (and the reference regression): what the spatial stage needs.

    Parameters
    ----------
    as_read : ndarray, shape (n_broken, hi - lo)
        The broken rows as read, where the network ran (they come back so).
    x : ndarray, shape (n_rows, n)
        Notched, broken rows interpolated.
    regressed : ndarray, shape (n_rows, n)
        ``x`` after the reference regression (``x`` itself without it).
    y : ndarray, shape (n_rows, hi - lo)
        The network's output.
    sfreq : float
        Rate, Hz.
    lo, hi : int
        Where the network ran, in the stretch.
    a, b : int
        The kept samples, in the stretch.
    broken : list of int
        Rows found broken.
    base : ndarray, shape (n_rows, hi - lo), or None
        The slow baseline taken out before the network (added back by :meth:`ChunkEngine.finish`); None: none.
    """

    as_read: np.ndarray
    x: np.ndarray
    regressed: np.ndarray
    y: np.ndarray
    sfreq: float
    lo: int
    hi: int
    a: int
    b: int
    broken: list[int]
    base: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        arrays = (self.as_read, self.x, self.regressed, self.y) + (() if self.base is None else (self.base,))
        return sum({id(v): v.nbytes for v in arrays}.values())


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
        self._pool: TopographyPool | None = None  # the recording's artifact-source sums (pre-pass, then each chunk)
        self._pooled: set[int] = set()  # chunks added to it
        self.power_change: PowerChange | None = None
        self.baseline_rows: np.ndarray | None = None  # rows (of those given to run_network) with a slow baseline
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

    def _model_reach(self, sfreq: float) -> int:
        """Context the model's windows, the resampling and the optional low-pass need per side, samples."""
        margin = chunk_margin(sfreq, self.sfreq, self.n_window)
        if self._lowpasses(sfreq):
            import mne

            margin += len(mne.filter.create_filter(None, sfreq, None, MODEL_BAND_FRACTION * self.sfreq,
                                                   verbose="error")) + 1
        return margin

    def _model_context(self, sfreq: float, quantum: int) -> int:
        """:meth:`_model_reach` in whole quanta (a chunk's start, context included, stays on the quantum grid)."""
        return -(-self._model_reach(sfreq) // quantum) * quantum

    def _settle(self, sfreq: float) -> int:
        """Samples the mains notch needs to settle (0 without one)."""
        return int(np.ceil(NOTCH_SETTLE_TAUS * 30.0 / (np.pi * self.line_hz) * sfreq)) if self.line_hz else 0

    def right_context(self, sfreq: float) -> int:
        """Samples after a chunk's last kept sample that its cleaning reads: the exact reach, not rounded to quanta
        (only starts must sit on the grid). A live stream returns a sample once this much has followed it.

        Parameters
        ----------
        sfreq : float
            The signal's rate, Hz.

        Returns
        -------
        int
        """
        return self._model_reach(sfreq) + self._settle(sfreq)

    def start_live(self, ch_names: list[str]) -> None:
        """Prepare to clean rows that arrive live: no survey (every row is live, mains as set), the multichannel
        model's positions and references as chosen.

        Parameters
        ----------
        ch_names : list of str
            Names of the rows (EEG, then references for the multichannel model).
        """
        if self.joint is not None:
            n_eeg = len(self.joint.pos)
            self.live_joint = (n_eeg, self.joint.pos, kind_indices(self.joint.ref_kinds))
            self.stage.names = list(ch_names[:n_eeg])
            self.report["broken_channels"] = {}
        self.report.update(resampled=False, model_sfreq=self.sfreq, live=True)

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
            margin += -(-self._settle(sfreq) // quantum) * quantum
        if self._removes_baseline:
            margin += -(-baseline_settle(sfreq) // quantum) * quantum
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
        return self.finish(self.run_network(x, sfreq, start, keep))

    def run_network(self, x: np.ndarray, sfreq: float, start: int, keep: tuple[int, int] | None,
                    cache: WindowCache | None = None) -> Stretch:
        """:meth:`clean_segment` up to the network's output (after the reference regression); :meth:`finish` does the
        rest.

        Parameters
        ----------
        x, sfreq, start, keep
            As for :meth:`clean_segment`.
        cache : WindowCache or None
            A live stream's windows computed before (for the network's first pass over ``x``).

        Returns
        -------
        Stretch
        """
        a, b = keep if keep is not None else (0, x.shape[1])
        as_read = x
        base = None
        if self._removes_baseline:  # offsets and drifts stay out of the work
            base = np.zeros(x.shape)
            base[self.baseline_rows] = slow_baseline(x[self.baseline_rows], sfreq)
            n_eeg = None if self.live_joint is None else self.live_joint[0]
            if n_eeg and is_average_referenced(x[:n_eeg]):  # and an average reference stays one
                base[:n_eeg] -= base[:n_eeg].mean(axis=0)
            x = x - base
        if self.line_hz:
            x = notch(x, sfreq, self.line_hz)
        context = self._model_context(sfreq, chunk_quantum(sfreq, self.sfreq))
        lo, hi = max(0, a - context), min(x.shape[1], b + context)
        n_eeg = None if self.live_joint is None else self.live_joint[0]
        broken = self.stage.broken_rows(x[:, lo:hi], sfreq, n_eeg) if n_eeg else []
        if broken:  # every spatial step sees them as their neighbours' interpolation; they come back as read
            x = self.stage.interpolate(x, broken, self.live_joint[1], n_eeg)

        def network(signals: np.ndarray, known: WindowCache | None = None) -> np.ndarray:
            return denoise_signals(signals[:, lo:hi], sfreq, self._fn(), self.sfreq, self.n_window,
                                   self.settings.overlap, self.settings.batch_size, start=start + lo, joint=n_eeg,
                                   cache=known)

        y = network(x, cache)
        regressed = x
        if n_eeg:
            regressed, y = self.stage.regress(x, y, sfreq, lo, hi, n_eeg, self._ref_kinds(), network)
        return Stretch(as_read[broken, lo:hi], x, regressed, y, sfreq, lo, hi, a, b, broken,
                       None if base is None else base[:, lo:hi])

    @property
    def _removes_baseline(self) -> bool:
        return self.baseline_rows is not None and bool(self.baseline_rows.any())

    def _ref_kinds(self) -> list[str]:
        from eegrecon.models.multichannel_net import REF_KINDS

        return [REF_KINDS[k] for k in self.live_joint[2]]

    def finish(self, st: Stretch) -> np.ndarray:
        """:meth:`clean_segment` from the network's output on: spatial steps, above-band policy, broken rows.

        Parameters
        ----------
        st : Stretch
            From :meth:`run_network`.

        Returns
        -------
        ndarray, shape (n_rows, kept samples)
        """
        y = st.y
        if self.live_joint is not None:
            y = self.stage.finish(st.x, st.regressed, y, st.sfreq, st.lo, st.hi, self.live_joint[0])
        if self._lowpasses(st.sfreq):
            y = bandpass(y, st.sfreq, None, MODEL_BAND_FRACTION * self.sfreq)
        if st.base is not None:
            y = y + st.base
        y[st.broken] = st.as_read
        return y[:, st.a - st.lo:st.b - st.lo]

    def _fit_sources(self, read: Callable[[int, int], np.ndarray], spans: list[tuple[int, int, int, int, int]],
                     live: np.ndarray, sfreq: float) -> dict[int, Stretch]:
        """The pre-pass: the network over the recording's first chunks (at most
        :data:`~.spatial.recording_fit.FIT_CHUNKS`, and as many as :data:`CACHE_BYTES` holds), their removals pooled
        into the artifact sources (``stage.sources``); the later chunks join the pool as they are cleaned
        (:meth:`_pool_later`). Returns the network's stretches, kept for the cleaning pass."""
        self._pool = TopographyPool(self.settings.artifact_sources)
        n_eeg = self.live_joint[0]
        kept: dict[int, Stretch] = {}
        size = 0
        for i in range(min(FIT_CHUNKS, len(spans))):
            r0, ra, rb, a, b = spans[i]
            with single_threaded_blas():
                st = self.run_network(np.asarray(read(r0 + ra, r0 + rb), dtype=np.float64)[live], sfreq, ra,
                                      (a - ra, b - ra))
                self._pool.add(st.regressed[:n_eeg, st.lo:st.hi], st.y[:n_eeg])
            kept[i] = st
            size += st.nbytes
            if size > CACHE_BYTES and len(kept) > 1:  # memory stays bounded: fit on the chunks held so far
                break
        self._pooled = set(kept)
        self.stage.sources = self._pool.model()
        self.report["recording_fit"] = {"chunks": len(kept), "of": len(spans),
                                        "topographies": 0 if self.stage.sources is None
                                        else int(self.stage.sources.topographies.shape[1])}
        return kept

    def _pool_later(self, i: int, st: Stretch) -> None:
        """A chunk after the pre-pass joins the pool before it is cleaned; the sources are refitted."""
        if i in self._pooled:
            return
        self._pool.add(st.regressed[:self.live_joint[0], st.lo:st.hi], st.y[:self.live_joint[0]])
        self._pooled.add(i)
        self.stage.sources = self._pool.model()
        self.report["recording_fit"]["chunks"] = len(self._pooled)

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
        with single_threaded_blas():
            found = survey(read, n_rows, n_times, sfreq, where, ch_names, survey_chunk, self.sfreq,
                           s.line_freq == "auto", None if self.joint is None else len(self.joint.pos))
        live, self.line_hz = report_survey(found, self.report, ch_names, sfreq, where, units, s.line_freq,
                                           self.line_hz, s.above_band, self.sfreq,
                                           getattr(self.method, "precision", None))
        names = channel_names(n_rows, ch_names)
        self.baseline_rows = found.slow_rows[live]
        eeg_live = live < (n_rows if self.joint is None else len(self.joint.pos))
        if self.baseline_rows[eeg_live].sum() < 0.5 * eeg_live.sum():  # a few slow channels are broken ones (the
            self.baseline_rows[:] = False  # spatial stage's check finds them); a DC-coupled amplifier shows in most
        self.report["baseline_removed"] = [names[i] for i in live[self.baseline_rows]]
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
        self.report.update(returned_as_read={}, out_of_range_kept=0, rise_limit_db=s.rise_limit_db,
                           gain_floor_db=GAIN_FLOOR_DB)
        spans = [(r0, ra, rb, a, b) for r0, r1 in runs if r1 - r0 >= 2
                 for ra, rb, a, b in chunk_spans(r1 - r0, chunk, margin, quantum)]
        fitted: dict[int, Stretch] = {}
        self.stage.sources = None
        pooling = bool(self.joint is not None and s.artifact_sources and s.recording_fit and len(live) and spans)
        if pooling:
            fitted = self._fit_sources(read, spans, live, sfreq)
        i = 0
        for r0, r1 in runs:
            if r1 - r0 < 2:  # a single sample between two boundaries cannot be filtered: returned as it is
                yield r0, r1, np.asarray(read(r0, r1), dtype=np.float64)
                continue
            for ra, rb, a, b in chunk_spans(r1 - r0, chunk, margin, quantum):
                read_span = np.asarray(read(r0 + ra, r0 + rb), dtype=np.float64)
                orig = read_span[:, a - ra:b - ra]
                out = orig.copy()
                if len(live):
                    with single_threaded_blas():  # its spinning threads would slow the network (eegrecon.blas)
                        st = fitted.pop(i, None) or self.run_network(read_span[live], sfreq, ra, (a - ra, b - ra))
                        if pooling:
                            self._pool_later(i, st)
                        out[live] = self.finish(st)
                i += 1
                mask = span_mask(keep, r0 + a, r0 + b) if keep else None
                if mask is not None and mask.any():
                    keep_as_read(out, orig, mask, sfreq)
                if rec.limits is not None:
                    self.report["out_of_range_kept"] += keep_in_range(out, orig, rec.limits)
                if s.rise_limit_db is not None:
                    guard_power(out, orig, cleaned, sfreq, [names[j] for j in cleaned], (r0 + a) / sfreq,
                                self.report["returned_as_read"], mask, s.rise_limit_db)
                for p0, p1 in stretches(b - a, b - a, mask):  # what the cleaning wrote, not the spans kept
                    self.power_change.update(orig[cleaned, p0:p1], out[cleaned, p0:p1])
                self.report["power_change"] = self.power_change.largest_rise(GAIN_FLOOR_DB)
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
