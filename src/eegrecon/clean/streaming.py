"""Chunk-by-chunk denoising of live data at any rate, with the offline road's engine and model choice.

    sd = StreamingDenoiser(info=stream_info)         # names, types, positions: the multichannel model, as offline
    sd = StreamingDenoiser(n_chans=8, sfreq=500.0)   # anonymous channels: each cleaned alone (single-channel model)
    for chunk in acquisition:                        # (n_chans, any number of samples) at the stream's rate
        out = sd.push(chunk)                         # cleaned samples that are final (possibly none yet)
    out = sd.flush()                                 # the rest, at the end of the recording

How: incoming samples are buffered; as soon as a span of input has the right-hand context that the model's
windows, resampling and filters need (:meth:`~eegrecon.clean.engine.ChunkEngine.right_context`), it is cleaned as the
offline Denoiser cleans a chunk (same windows on the same grid, same resampling, same filters) and returned. Spans
start on the resampling's grid (a multiple of its ``down`` factor); a push that ends between grid points
recomputes from the last one and returns only the new samples.

Equal to offline: the network's output is. The single-channel road (every step of it) gives
``Denoiser(...).transform(x, sfreq=sfreq)`` to 1e-12 of the signal's std. The multichannel road's spatial steps
fit over what they see: offline over each chunk and, for the artifact sources, over the whole recording; live over
each span and its context, and for the artifact sources over everything the stream has shown so far
(:mod:`~eegrecon.clean.spatial.recording_fit`'s sums, refreshed every :data:`REFIT_S` seconds from
``fit_after_s`` on; before that the source step is skipped: the network's own removal stands).

Each model window runs through the network once (:class:`~eegrecon.clean.window_cache.WindowCache`), and a push
cleans only once ``step_s`` (0.25 s) of new signal is ready, so the per-push work (resampling and the spatial
steps over the span's context) is spread over at least that much.

Latency: sample t is returned by the push that brings the input to t + :attr:`~StreamingDenoiser.latency_samples`
(the right-hand context plus one step), plus that push's compute time. For the 256-Hz models: 2.25 s at 256 Hz,
2.3–2.4 s at 160, 250, 500 and 1000 Hz (one 2-s model window, the resampling filters and the step); a mains notch
(``line_freq``) adds its settling time (40 time constants of the Q = 30 notch: 7.6 s at 50 Hz, 6.4 s at 60 Hz).
"""

from __future__ import annotations

import numpy as np

from eegrecon.blas import single_threaded_blas
from eegrecon.clean.adapters import live_engine
from eegrecon.clean.denoiser import Denoiser
from eegrecon.clean.inputs import check_sfreq
from eegrecon.clean.spatial.recording_fit import TopographyPool
from eegrecon.clean.window_cache import WindowCache
from eegrecon.errors import DataError, OptionError
from eegrecon.signal.filters import resample_ratio
from eegrecon.signal.validate import check_finite

#: seconds of stream between two refreshes of the artifact sources
REFIT_S = 10.0


def info_from_names(ch_names: list[str], sfreq: float, montage=None):
    """An ``mne.Info`` for a stream given by channel names, optionally with a montage; without one, standard 10-05
    names give positions. Every channel is typed EEG: names that say EOG/ECG/EMG/reference are then set aside and
    read as references by the same rules as a recording's (:mod:`~eegrecon.clean.model_choice`).

    Parameters
    ----------
    ch_names : list of str
    sfreq : float
        Rate, Hz.
    montage : str, DigMontage or None

    Returns
    -------
    mne.Info
    """
    import mne

    info = mne.create_info(list(ch_names), sfreq, "eeg")
    if montage is not None:
        info.set_montage(montage, on_missing="ignore", match_case=False)
    return info


class StreamingDenoiser:
    """Stateful denoiser for live data. ``push(chunk)`` → final samples so far; ``flush()`` → the rest.

    Parameters
    ----------
    model : "auto", str, Path, Method or torch.nn.Module
        As for :class:`~eegrecon.Denoiser`; loaded at construction. ``"auto"`` picks as offline: the multichannel
        model for a stream with ≥ 8 EEG channels of known position (from ``info``), the single-channel model
        otherwise (``report_["model"]`` says which and why).
    n_chans : int
        Channels per chunk of an anonymous stream (ignored with ``info`` or ``ch_names``).
    overlap : float
        Overlap between model windows, in [0, 1).
    sfreq : float or None
        Rate of the incoming samples, Hz; None: ``info["sfreq"]``, else the model's own rate. Other rates are
        resampled inside.
    line_freq : float or None
        Mains frequency to notch before the model (adds latency: see the module docstring). A stream cannot be
        surveyed in advance, so there is no ``"auto"`` here: detect it on a first recording with
        :func:`~eegrecon.signal.mains.find_line_noise`.
    precision : {"auto", "float32", "bfloat16"}
        Arithmetic of the network (see :class:`~eegrecon.Denoiser`).
    info : mne.Info or None
        The stream's channels: names, types (EOG/ECG channels are the multichannel model's references: read, used,
        returned unchanged), positions, bads (returned unchanged). MNE-LSL's ``StreamLSL.info`` is one.
    ch_names : list of str or None
        Instead of ``info``: channel names (types guessed from them) with ``montage``.
    montage : str, DigMontage or None
        Positions for ``ch_names`` (None: standard 10-05 names are recognised).
    artifact_sources, reference_regression : int, bool
        The multichannel model's spatial options (see :class:`~eegrecon.Denoiser`).
    fit_after_s : float
        Seconds of stream after which the artifact sources are fitted on all of it and used.
    step_s : float
        Least new signal a push waits for before it cleans (the per-push work is spread over at least this much;
        it adds to the latency).
    """

    def __init__(self, model="auto", n_chans: int = 1, overlap: float = 0.5, sfreq: float | None = None,
                 line_freq: float | None = None, precision: str = "auto", info=None,
                 ch_names: list[str] | None = None, montage=None, artifact_sources: int = 2,
                 reference_regression: bool = True, fit_after_s: float = 30.0, step_s: float = 0.25):
        if line_freq == "auto":
            raise OptionError("StreamingDenoiser needs line_freq as a number (50 or 60 Hz) or None: a stream "
                              "cannot be surveyed in advance; eegrecon.signal.mains.find_line_noise(first_minute, "
                              "sfreq) tells which")
        if info is not None and sfreq is not None and abs(float(info["sfreq"]) - float(sfreq)) > 1e-6:
            raise DataError(f"sfreq={sfreq:g} Hz but the stream's info says {info['sfreq']:g} Hz; give one of them")
        if info is None and ch_names is not None:
            info = info_from_names(ch_names, float(sfreq or 256.0), montage)
        self.model, self.overlap, self.fit_after_s = model, overlap, float(fit_after_s)
        self.denoiser_ = Denoiser(model, overlap=overlap, line_freq=line_freq, precision=precision,
                                  artifact_sources=artifact_sources, reference_regression=reference_regression,
                                  chunk_s=None, recording_fit=False).fit()
        self.n_chans = n_chans if info is None else len(info["ch_names"])
        self.engine_, self.rows_ = live_engine(self.denoiser_.context(), info, self.n_chans)
        self.report_ = self.denoiser_.report_
        self.method_ = self.engine_.method
        self.multichannel = self.engine_.live_joint is not None
        self.n_window = self.denoiser_.n_window_
        if info is not None:
            self.sfreq = check_sfreq(float(info["sfreq"]), "StreamingDenoiser")
        else:
            self.sfreq = self.denoiser_.sfreq_ if sfreq is None else check_sfreq(sfreq, "StreamingDenoiser")
        _, margin, self.quantum = self.engine_.chunk_plan(self.sfreq, 0)
        self.margin = margin  # left context: whole quanta, as offline chunks
        self.right = self.engine_.right_context(self.sfreq)
        self.step = max(1, int(round(step_s * self.sfreq)))
        self.engine_.stage.fit_per_stretch = False
        self.report_["artifact_sources_fit"] = (
            f"over everything streamed so far, from {self.fit_after_s:g} s on, refreshed every {REFIT_S:g} s "
            "(before: the network's own removal)" if self.multichannel and artifact_sources else "not used")
        self.reset()

    @property
    def latency_samples(self) -> int:
        """Most input samples between a sample's arrival and its output (the right-hand context and one step)."""
        return self.right + self.step - 1

    @property
    def latency_s(self) -> float:
        """:attr:`latency_samples` in seconds."""
        return self.latency_samples / self.sfreq

    def reset(self) -> None:
        """Forget all input (start a new recording), the fitted artifact sources included."""
        self._buf = np.zeros((self.n_chans, 0))  # input from absolute sample _base on
        self._base = 0
        self._n = 0  # input samples received
        self._emitted = 0  # input samples returned
        self._pool = TopographyPool(self.denoiser_.artifact_sources)
        self._windows = WindowCache()
        self._pooled = 0  # samples added to the pool
        self._fitted_at = 0  # pooled samples when the sources were last fitted
        self.engine_.stage.sources = None

    def _clean(self, start: int, stop: int, read_stop: int) -> np.ndarray:
        """Every channel over [start, stop): the cleaned rows from input [start − context, read_stop) (recomputed
        from the grid point at or before ``start``), the other channels as they came."""
        aligned = start // self.quantum * self.quantum
        lo = max(0, aligned - self.margin)
        seg = self._buf[self.rows_, lo - self._base:read_stop - self._base]
        stretch = self.engine_.run_network(seg, self.sfreq, lo, (aligned - lo, stop - lo), self._windows)
        up, down = resample_ratio(self.sfreq, self.engine_.sfreq)
        self._windows.forget_before(lo // down * up - 2 * self.n_window)
        self._update_sources(stretch, start - lo)
        out = self._buf[:, start - self._base:stop - self._base].copy()
        cleaned = self.engine_.live_joint[0] if self.multichannel else len(self.rows_)  # references stay as read
        out[self.rows_[:cleaned]] = self.engine_.finish(stretch)[:cleaned, start - aligned:]
        return out

    def _update_sources(self, stretch, new_from: int) -> None:
        """Add the new samples of a stretch to the pool; refit the sources when due."""
        if not (self.multichannel and self.denoiser_.artifact_sources):
            return
        n_eeg = self.engine_.live_joint[0]
        a, b = new_from, stretch.b
        if b <= a:
            return
        self._pool.add(stretch.regressed[:n_eeg, a:b], stretch.y[:n_eeg, a - stretch.lo:b - stretch.lo])
        self._pooled += b - a
        due = self._pooled >= self.fit_after_s * self.sfreq
        if due and (self.engine_.stage.sources is None or self._pooled - self._fitted_at >= REFIT_S * self.sfreq):
            self.engine_.stage.sources = self._pool.model()
            self._fitted_at = self._pooled

    def push(self, chunk: np.ndarray) -> np.ndarray:
        """Add a chunk and return the samples that are now final.

        Parameters
        ----------
        chunk : ndarray, shape (n_chans, n)
            New samples at :attr:`sfreq`, any unit, every channel of the stream.

        Returns
        -------
        ndarray, shape (n_chans, m)
            Samples in order, possibly none (m = 0): EEG cleaned, references and other channels as they came.
        """
        chunk = np.asarray(chunk, dtype=np.float64)
        if chunk.ndim != 2 or chunk.shape[0] != self.n_chans:
            raise DataError(f"expected a chunk of shape ({self.n_chans}, n_samples), got {chunk.shape}")
        check_finite(chunk, None, "chunk")
        self._buf = np.concatenate([self._buf, chunk], axis=1)
        self._n += chunk.shape[1]
        ready = self._n - self.right  # has its full right-hand context
        if ready - self._emitted < self.step:
            return np.zeros((self.n_chans, 0))
        with single_threaded_blas():  # its spinning threads would slow the network (eegrecon.blas)
            out = self._clean(self._emitted, ready, self._n)
        self._emitted = ready
        keep_from = self._emitted // self.quantum * self.quantum - self.margin  # left context still needed
        drop = max(0, keep_from - self._base)
        self._buf, self._base = self._buf[:, drop:], self._base + drop
        return out

    def flush(self) -> np.ndarray:
        """End of recording: clean every remaining sample (the end is handled as offline) and reset.

        Returns
        -------
        ndarray, shape (n_chans, m)
            The remaining samples.
        """
        if self._n < 2:
            raise DataError("need at least 2 samples before flush()")
        self._windows.at_end = True
        with single_threaded_blas():
            out = self._clean(self._emitted, self._n, self._n) if self._n > self._emitted \
                else np.zeros((self.n_chans, 0))
        self.reset()
        return out
