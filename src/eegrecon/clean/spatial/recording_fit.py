"""The recording-level fit: artifact topographies and their beamformer pooled over a whole recording.

ICA fits one unmixing per recording; the source step (:mod:`~.artifact_sources`) used to fit its topographies and
filters over one chunk at a time, so a chunk with few blinks (or a short last chunk) got a poor estimate and two
chunks of one recording could treat the same blink differently. Both estimates are sums over samples, so they pool:

- the topographies are the dominant eigenvectors of ``Σ R Rᵀ`` over every stretch, ``R`` the network's removal
  in average reference (all events of every chunk weigh in, the strongest most);
- the beamformer minimises the pooled covariance of what the network kept (``x − R``);
- the patterns are fitted on the input during every event of the recording
  (:func:`~.artifact_sources.fit_sources`).

The engine (:mod:`~eegrecon.clean.engine`) runs the network over the recording's chunks once before cleaning them
(at most :data:`FIT_CHUNKS`, evenly spread, so memory and time stay bounded for files of any length), adds each
to a :class:`TopographyPool`, and cleans every chunk with the pooled :class:`~.artifact_sources.SourceModel`.
Memory is three ``n_chans × n_chans`` sums.
"""

from __future__ import annotations

import numpy as np

from eegrecon.clean.spatial.artifact_sources import SourceModel, SourceSums, fit_sources, source_sums

#: chunks the pre-pass runs the network on, evenly spread over the recording (each ``chunk_s`` long)
FIT_CHUNKS = 8


def fit_chunks(n_chunks: int, most: int = FIT_CHUNKS) -> list[int]:
    """Indices of the chunks the pre-pass fits on: all of them, or ``most`` evenly spread.

    Parameters
    ----------
    n_chunks : int
        Chunks of the recording.
    most : int
        At most this many.

    Returns
    -------
    list of int
        Sorted, distinct.
    """
    if n_chunks <= most:
        return list(range(n_chunks))
    return sorted({int(round(i)) for i in np.linspace(0, n_chunks - 1, most)})


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
