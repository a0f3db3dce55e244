"""A Raw whose samples are cleaned when read: MNE's own writers then save a cleaned recording chunk by chunk.

``raw.save`` on a Raw that is not preloaded asks for its data a buffer at a time; :class:`CleanedRaw` answers
each request from the Denoiser's chunk iterator, so writing a FIF file of any length needs one chunk of memory.
Requests must move forward through the recording (as writers do); going back restarts the iterator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import mne
import numpy as np

BlockIter = Callable[[], Iterator[tuple[int, int, np.ndarray]]]  # → (start, stop, all channels) tiling the recording


class _Blocks:
    """Random access, optimised for forward reads, to the blocks of a restartable iterator."""

    def __init__(self, make: BlockIter):
        self._make = make
        self._it: Iterator | None = None
        self._held: list[tuple[int, int, np.ndarray]] = []

    def read(self, start: int, stop: int) -> np.ndarray:
        if self._it is None or (self._held and start < self._held[0][0]):
            self._it, self._held = self._make(), []
        self._held = [b for b in self._held if b[1] > start]
        while not self._held or self._held[-1][1] < stop:
            self._held.append(next(self._it))
            self._held = [b for b in self._held if b[1] > start]
        return np.concatenate([blk[:, max(start, a) - a:min(stop, b) - a] for a, b, blk in self._held
                               if a < stop], axis=1)


class CleanedRaw(mne.io.BaseRaw):
    """Not-preloaded Raw with the source's info and annotations whose data come from ``blocks``.

    Parameters
    ----------
    source : mne.io.Raw
        The recording being cleaned (for info, timing and annotations).
    blocks : callable
        Returns a fresh iterator of ``(start, stop, data)`` over the whole recording, ``data`` of shape
        (n_chans, stop - start) in volts (e.g. ``lambda: denoiser.iter_raw(source)``).
    """

    def __init__(self, source: mne.io.BaseRaw, blocks: BlockIter):
        info = source.info.copy()
        with info._unlock():
            for ch in info["chs"]:  # data arrive in volts: no calibration on read
                ch["cal"], ch["range"] = 1.0, 1.0
        super().__init__(info, preload=False, first_samps=(source.first_samp,), last_samps=(source.last_samp,),
                         filenames=(None,), raw_extras=[{"blocks": _Blocks(blocks), "first": source.first_samp}],
                         orig_format="double", verbose="error")
        self.set_annotations(source.annotations)

    def _read_segment_file(self, data, idx, fi, start, stop, cals, mult):
        extras = self._raw_extras[fi]
        one = extras["blocks"].read(start - extras["first"], stop - extras["first"])
        if mult is not None:
            data[:] = mult @ one
        else:
            data[:] = one[idx] * cals
