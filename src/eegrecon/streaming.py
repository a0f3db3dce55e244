"""Chunk-by-chunk denoising with a fixed latency, equal to the offline result.

    sd = StreamingDenoiser(n_chans=8)  # the default shipped model
    for chunk in acquisition:             # (n_chans, any number of samples) at the model's rate
        out = sd.push(chunk)              # cleaned samples that are final (possibly none yet)
    out = sd.flush()                      # the rest, at the end of the recording

Latency: fixed. Sample t is returned by the ``push`` that brings the input to t + ``latency_samples``
(one model window: 512 samples = 2 s for the 256-Hz models), plus the compute time of that push. It uses the offline
windows (same hop, same Hann weights, same reflect padding at the start and end), so the concatenated output
equals :func:`~eegrecon.inference.overlap_add_denoise` on the whole recording up to float32 rounding
(the network sees other batch sizes; tested within 1e-5 of the signal's peak amplitude).
Input must be at the model's rate; resample upstream otherwise.
"""

from __future__ import annotations

import numpy as np

from eegrecon.data.validate import check_finite
from eegrecon.denoise import resolve_method
from eegrecon.errors import DataError, EegreconError
from eegrecon.inference import add_windows, hop_for, lead_padding, padded_length, reflect_pad, synthesis_weights
from eegrecon.models.pretrained import DEFAULT_MODEL


class StreamingDenoiser:
    """Stateful denoiser for live data. ``push(chunk)`` → final samples so far; ``flush()`` → the rest.

    Parameters
    ----------
    model : str, Path, Method or torch.nn.Module
        As for :class:`~eegrecon.denoise.Denoiser`; loaded at construction.
    n_chans : int
        Channels per chunk.
    overlap : float
        Overlap between model windows, in [0, 1).
    """

    def __init__(self, model=DEFAULT_MODEL, n_chans: int = 1, overlap: float = 0.5):
        self.model, self.n_chans, self.overlap = model, n_chans, overlap
        self.method_ = resolve_method(model)
        if self.method_.sfreq is None or self.method_.n_times is None:
            raise EegreconError(f"{self.method_!r} does not say which rate and window it works at")
        self.sfreq = float(self.method_.sfreq)
        self.n_window = int(self.method_.n_times)
        self.hop = hop_for(self.n_window, overlap)
        self.left = lead_padding(self.n_window, self.hop)
        self.weights = synthesis_weights(self.n_window, self.hop)
        self.reset()

    @property
    def latency_samples(self) -> int:
        """Samples between an input sample's arrival and its output (one model window)."""
        return self.n_window

    def reset(self) -> None:
        """Forget all input (start a new recording)."""
        self._n = 0  # input samples received
        self._emitted = 0  # input samples returned
        self._pending = np.zeros((self.n_chans, 0))  # input before the start padding can be built
        self._tail = np.zeros((self.n_chans, 0))  # the last n_window + 1 input samples (for the end padding)
        self._xp: np.ndarray | None = None  # padded input from padded index _base on
        self._num = np.zeros((self.n_chans, 0))  # overlap-add numerator, same coordinates as _xp
        self._den = np.zeros(0)
        self._base = 0
        self._next_window = 0  # padded index of the next window to run

    def _append(self, x: np.ndarray) -> None:
        self._xp = np.concatenate([self._xp, x], axis=1)
        self._num = np.pad(self._num, ((0, 0), (0, x.shape[1])))
        self._den = np.pad(self._den, (0, x.shape[1]))

    def _run_windows(self) -> None:
        """Run every window that lies inside the padded input received so far."""
        end = self._base + self._xp.shape[1]
        starts = np.arange(self._next_window, end - self.n_window + 1, self.hop)
        if not len(starts):
            return
        add_windows(self._xp, starts - self._base, lambda w: self.method_.denoise(w, self.sfreq), self.n_window,
                    self.weights, self._num, self._den)
        self._next_window = int(starts[-1] + self.hop)

    def _emit(self, upto: int) -> np.ndarray:
        """Return input samples [emitted, upto), then drop buffered samples no longer needed."""
        a, b = self._emitted + self.left - self._base, upto + self.left - self._base
        out = self._num[:, a:b] / self._den[a:b]
        self._emitted = upto
        keep_from = min(self._next_window, self._emitted + self.left) - self._base
        if keep_from > 0:
            self._xp, self._num, self._den = self._xp[:, keep_from:], self._num[:, keep_from:], self._den[keep_from:]
            self._base += keep_from
        return out

    def push(self, chunk: np.ndarray) -> np.ndarray:
        """Add a chunk and return the samples that are now final.

        Parameters
        ----------
        chunk : ndarray, shape (n_chans, n)
            New samples at the model's rate, any unit.

        Returns
        -------
        ndarray, shape (n_chans, m)
            Cleaned samples, in order, possibly none (m = 0).
        """
        chunk = np.asarray(chunk, dtype=np.float64)
        if chunk.ndim != 2 or chunk.shape[0] != self.n_chans:
            raise DataError(f"expected a chunk of shape ({self.n_chans}, n_samples), got {chunk.shape}")
        check_finite(chunk, None, "chunk")
        self._n += chunk.shape[1]
        self._tail = np.concatenate([self._tail, chunk], axis=1)[:, -(self.n_window + 1):]
        if self._xp is None:
            self._pending = np.concatenate([self._pending, chunk], axis=1)
            if self._pending.shape[1] <= self.left:  # the start padding reflects `left` samples: wait for them
                return np.zeros((self.n_chans, 0))
            self._xp = np.zeros((self.n_chans, 0))
            chunk, self._pending = reflect_pad(self._pending, self.left, 0), None
        self._append(chunk)
        self._run_windows()
        # Sample t is final once every window covering it has run, which is always true by the time the input
        # reaches t + n_window; returning exactly then makes the latency fixed.
        final = self._n - self.latency_samples
        assert final <= self._next_window - self.left
        return self._emit(max(final, self._emitted))

    def flush(self) -> np.ndarray:
        """End of recording: pad the end like the offline path and return every remaining sample.

        Returns
        -------
        ndarray, shape (n_chans, m)
            The remaining cleaned samples; the state is reset for a new recording.
        """
        n = self._n
        if n < 2:
            raise DataError("need at least 2 samples before flush()")
        left, right = padded_length(n, self.n_window, self.hop)
        done = self._emitted
        if self._xp is None or n <= self.n_window + 1:  # short recording: all of it is still buffered; redo it
            whole = self._tail if self._xp is not None else self._pending
            xp = reflect_pad(whole, left, right)
            self._xp, self._base, self._next_window = xp, 0, 0
            self._num, self._den = np.zeros_like(xp), np.zeros(xp.shape[1])
            self._emitted = 0
        elif right:
            self._append(reflect_pad(self._tail, 0, right)[:, -right:])
        self._run_windows()
        start = self._emitted
        out = self._emit(n)[:, done - start:]  # samples [start, n); return only those not yet returned
        self.reset()
        return out
