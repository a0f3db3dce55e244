"""A live stream's window values, kept so that each window runs through the network once."""

from __future__ import annotations

import numpy as np


class WindowCache:
    """Window values already computed on a live stream, by row group and absolute start at the model rate, so that
    each window runs through the network once however many pushes its span is cleaned in. Only windows whose input
    was complete (their value is the offline one) are kept."""

    def __init__(self):
        self.groups: dict[int, dict[int, np.ndarray]] = {}
        self.at_end = False  # the next stretch ends the recording (its last, padded windows are final)

    def group(self, i: int) -> dict[int, np.ndarray]:
        """The values of the row group starting at row ``i`` (absolute start → (n_out, n_window)).

        Parameters
        ----------
        i : int
            First row of the group.

        Returns
        -------
        dict of int to ndarray
        """
        return self.groups.setdefault(i, {})

    def forget_before(self, start: int) -> None:
        """Drop windows starting before ``start`` (model-rate samples): the stream has moved past them.

        Parameters
        ----------
        start : int
            Absolute model-rate sample.
        """
        for values in self.groups.values():
            for key in [k for k in values if k < start]:
                del values[key]
