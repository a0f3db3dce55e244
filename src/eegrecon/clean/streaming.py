"""Chunk-by-chunk denoising of live data at any rate, equal to the offline :class:`~eegrecon.Denoiser`.

    sd = StreamingDenoiser(n_chans=8, sfreq=500.0)  # the default shipped model; any input rate
    for chunk in acquisition:                        # (n_chans, any number of samples) at sfreq
        out = sd.push(chunk)                         # cleaned samples that are final (possibly none yet)
    out = sd.flush()                                 # the rest, at the end of the recording

How: incoming samples are buffered; as soon as a span of input has the right-hand context that the model's
windows, resampling and filters need (:meth:`~eegrecon.clean.engine.ChunkEngine.chunk_plan`), it is cleaned exactly as
the offline Denoiser cleans a chunk (same windows on the same grid, same resampling, same filters) and
returned. The concatenated output therefore equals ``Denoiser(...).transform(x, sfreq=sfreq)`` on the whole
recording (tested to 1e-12 of the signal's std without the low-pass option).

Latency: sample t is returned by the ``push`` that brings the input to at most t + ``latency_samples``, where
``latency_samples`` = context + one quantum (:func:`~eegrecon.clean.windows.chunk_quantum`: the resampling's
``down`` factor), plus that push's compute time. For the 256-Hz models (measured by ``latency_s``): 2.0 s at
256 Hz, 2.2 s at 160 Hz, 3.0 s at 250 Hz, 2.5 s at 500 Hz, 2.25 s at 1 kHz (one 2-s model window plus the
resampling filters); a mains notch (``line_freq``) adds its settling time (10 s in all at 500 Hz with 50 Hz).
"""

from __future__ import annotations

import numpy as np

from eegrecon.clean.denoiser import Denoiser
from eegrecon.clean.inputs import check_sfreq
from eegrecon.errors import DataError, OptionError
from eegrecon.models.pretrained import DEFAULT_MODEL
from eegrecon.signal.validate import check_finite


class StreamingDenoiser:
    """Stateful denoiser for live data. ``push(chunk)`` → final samples so far; ``flush()`` → the rest.

    Parameters
    ----------
    model : str, Path, Method or torch.nn.Module
        As for :class:`~eegrecon.Denoiser`; loaded at construction.
    n_chans : int
        Channels per chunk.
    overlap : float
        Overlap between model windows, in [0, 1).
    sfreq : float or None
        Rate of the incoming samples, Hz; None: the model's own rate. Other rates are resampled inside.
    line_freq : float or None
        Mains frequency to notch before the model (adds latency: see the module docstring). A stream cannot be
        surveyed in advance, so there is no ``"auto"`` here: detect it on a first recording with
        :func:`~eegrecon.signal.mains.find_line_noise`.
    precision : {"auto", "float32", "bfloat16"}
        Arithmetic of the network (see :class:`~eegrecon.Denoiser`).
    """

    def __init__(self, model=DEFAULT_MODEL, n_chans: int = 1, overlap: float = 0.5, sfreq: float | None = None,
                 line_freq: float | None = None, precision: str = "auto"):
        self.model, self.n_chans, self.overlap = model, n_chans, overlap
        if line_freq == "auto":
            raise OptionError("StreamingDenoiser needs line_freq as a number (50 or 60 Hz) or None: a stream "
                              "cannot be surveyed in advance; eegrecon.signal.mains.find_line_noise(first_minute, "
                              "sfreq) tells which")
        self.denoiser_ = Denoiser(model, overlap=overlap, line_freq=line_freq, precision=precision).fit()
        self.engine_ = self.denoiser_.engine()  # the offline road's chunk engine, with the single-channel model
        self.method_ = self.denoiser_.method_
        self.n_window = self.denoiser_.n_window_
        self.sfreq = self.denoiser_.sfreq_ if sfreq is None else check_sfreq(sfreq, "StreamingDenoiser")
        _, margin, self.quantum = self.engine_.chunk_plan(self.sfreq, 0)
        self.margin = -(-margin // self.quantum) * self.quantum  # as offline chunks: whole quanta of context
        self.reset()

    @property
    def latency_samples(self) -> int:
        """Most input samples between a sample's arrival and its output (context + one quantum)."""
        return self.margin + self.quantum

    @property
    def latency_s(self) -> float:
        """:attr:`latency_samples` in seconds."""
        return self.latency_samples / self.sfreq

    def reset(self) -> None:
        """Forget all input (start a new recording)."""
        self._buf = np.zeros((self.n_chans, 0))  # input from absolute sample _base on
        self._base = 0
        self._n = 0  # input samples received
        self._emitted = 0  # input samples returned

    def _clean(self, start: int, stop: int, read_stop: int) -> np.ndarray:
        """Cleaned samples [start, stop), computed from input [start − context, read_stop)."""
        lo = max(0, start - self.margin)
        seg = self._buf[:, lo - self._base:read_stop - self._base]
        return self.engine_.clean_segment(seg, self.sfreq, lo, (start - lo, stop - lo))

    def push(self, chunk: np.ndarray) -> np.ndarray:
        """Add a chunk and return the samples that are now final.

        Parameters
        ----------
        chunk : ndarray, shape (n_chans, n)
            New samples at :attr:`sfreq`, any unit.

        Returns
        -------
        ndarray, shape (n_chans, m)
            Cleaned samples, in order, possibly none (m = 0).
        """
        chunk = np.asarray(chunk, dtype=np.float64)
        if chunk.ndim != 2 or chunk.shape[0] != self.n_chans:
            raise DataError(f"expected a chunk of shape ({self.n_chans}, n_samples), got {chunk.shape}")
        check_finite(chunk, None, "chunk")
        self._buf = np.concatenate([self._buf, chunk], axis=1)
        self._n += chunk.shape[1]
        ready = (self._n - self.margin) // self.quantum * self.quantum  # has its full right-hand context
        if ready <= self._emitted:
            return np.zeros((self.n_chans, 0))
        out = self._clean(self._emitted, ready, ready + self.margin)
        self._emitted = ready
        drop = max(0, self._emitted - self.margin - self._base)  # left context the next span still needs
        self._buf, self._base = self._buf[:, drop:], self._base + drop
        return out

    def flush(self) -> np.ndarray:
        """End of recording: clean every remaining sample (the end is handled as offline) and reset.

        Returns
        -------
        ndarray, shape (n_chans, m)
            The remaining cleaned samples.
        """
        if self._n < 2:
            raise DataError("need at least 2 samples before flush()")
        out = self._clean(self._emitted, self._n, self._n) if self._n > self._emitted else np.zeros((self.n_chans, 0))
        self.reset()
        return out
