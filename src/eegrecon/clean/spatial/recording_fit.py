"""The recording-level fit: artifact topographies and their beamformer pooled over a whole recording.

ICA fits one unmixing per recording; the source step (:mod:`~.artifact_sources`) used to fit its topographies and
filters over one chunk at a time, so a chunk with few blinks (or a short last chunk) got a poor estimate and two
chunks of one recording could treat the same blink differently. Both estimates are sums over samples, so they pool:

- the topographies are the dominant eigenvectors of ``Σ R Rᵀ`` over every stretch, ``R`` the network's removal
  in average reference (all events of every chunk weigh in, the strongest most);
- the beamformer minimises the pooled covariance of what the network kept (``x − R``);
- the patterns are fitted on the input during every event of the recording
  (:func:`~.artifact_sources.fit_sources`).

The engine (:mod:`~eegrecon.clean.engine`) runs the network over the recording's first chunks before cleaning any
(up to :data:`FIT_CHUNKS` — 16 min with 120-s chunks — and as many as its 96-MB cache holds, so the network runs
once per chunk and memory stays bounded), adds each to a :class:`TopographyPool` and fits the sources; each later
chunk joins the pool before it is cleaned. A recording of up to 8 chunks is thus cleaned with sources pooled over
all of it; a longer one with sources pooled over everything up to the chunk being cleaned. Memory is three
``n_chans × n_chans`` sums.
"""

from __future__ import annotations

import numpy as np

from eegrecon.clean.spatial.artifact_sources import SourceModel, SourceSums, fit_sources, source_sums

#: leading chunks the pre-pass runs the network on and pools before any is cleaned (each ``chunk_s`` long)
FIT_CHUNKS = 8


class TopographyPool:
    """The :class:`~.artifact_sources.SourceSums` of a recording's stretches, added up.

    Parameters
    ----------
    n_sources : int
        Sources wanted.
    """

    def __init__(self, n_sources: int):
        self.n_sources = n_sources
        self.sums: SourceSums | None = None

    def add(self, x: np.ndarray, y: np.ndarray) -> None:
        """Pool one stretch.

        Parameters
        ----------
        x : ndarray, shape (n_chans, n_times)
            Input EEG rows (any reference and unit, the same for every stretch).
        y : ndarray, shape (n_chans, n_times)
            The network's output for them.
        """
        sums = source_sums(x, y, self.n_sources)
        self.sums = sums if self.sums is None else self.sums + sums

    def model(self) -> SourceModel | None:
        """The pooled sources; None when nothing was added or the network acted on too few samples.

        Returns
        -------
        SourceModel or None
        """
        return None if self.sums is None else fit_sources(self.sums, self.n_sources)
