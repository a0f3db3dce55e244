"""WindowSet: fixed-length single-channel windows with the group (subject/recording) of each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class WindowSet:
    """Windows of one kind of signal.

    Parameters
    ----------
    x : ndarray, shape (n, n_times)
        float32, microvolts (artifacts may be in arbitrary units: only their shape matters, they are rescaled
        to a target SNR when mixed).
    sfreq : float
        Sampling rate, Hz.
    groups : ndarray of str, shape (n,)
        The subject or recording each window comes from (the split unit).
    sources : ndarray of str, shape (n,)
        The source each window comes from (licence bookkeeping).
    """

    x: np.ndarray
    sfreq: float
    groups: np.ndarray
    sources: np.ndarray

    def __post_init__(self) -> None:
        self.x = np.asarray(self.x, dtype=np.float32)
        self.groups = np.asarray(self.groups, dtype=str)
        self.sources = np.asarray(self.sources, dtype=str)
        if self.x.ndim != 2:
            raise ValueError(f"WindowSet.x must be (n, n_times), got shape {self.x.shape}")
        if not len(self.x) == len(self.groups) == len(self.sources):
            raise ValueError("WindowSet.x, groups and sources must have the same length")

    def __len__(self) -> int:
        return len(self.x)

    @property
    def n_times(self) -> int:
        """Samples per window."""
        return self.x.shape[1]

    def subset(self, mask_or_index: np.ndarray) -> WindowSet:
        """The windows selected by a mask or an index.

        Parameters
        ----------
        mask_or_index : ndarray of bool or int
            Selection.

        Returns
        -------
        WindowSet
            The selected windows.
        """
        return WindowSet(self.x[mask_or_index], self.sfreq, self.groups[mask_or_index],
                         self.sources[mask_or_index])

    @staticmethod
    def concat(sets: list[WindowSet]) -> WindowSet:
        """Concatenate non-empty window sets of one rate.

        Parameters
        ----------
        sets : list of WindowSet
            The sets, in order.

        Returns
        -------
        WindowSet
            One set.
        """
        sets = [s for s in sets if len(s)]
        if not sets:
            raise ValueError("nothing to concatenate")
        rates = {s.sfreq for s in sets}
        if len(rates) != 1:
            raise ValueError(f"cannot concatenate WindowSets with different rates {sorted(rates)}")
        return WindowSet(np.concatenate([s.x for s in sets]), sets[0].sfreq,
                         np.concatenate([s.groups for s in sets]), np.concatenate([s.sources for s in sets]))

    def counts_by_source(self) -> dict[str, int]:
        """Windows per source name.

        Returns
        -------
        dict of str to int
            Source → count.
        """
        names, counts = np.unique(self.sources, return_counts=True)
        return dict(zip(names.tolist(), counts.tolist()))
