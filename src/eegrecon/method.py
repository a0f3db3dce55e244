"""The one interface every denoiser implements: classical baselines and neural networks alike.

Methods work on *normalised* windows (each divided by the std of its noisy window, see
:class:`~eegrecon.data.pairs.PairSet`), shape (n, n_times), time last. scikit-learn contract: constructor
arguments stored as given, learned state in attributes ending in ``_``, ``fit`` returns ``self``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from eegrecon.data.pairs import PairSet


class Method(ABC):
    """A denoiser: ``fit(train, val)`` then ``denoise(noisy, sfreq)`` → clean estimate (n, T)."""

    name: str = "method"
    #: oracle methods also receive the true clean and artifact windows (upper bounds, not usable)
    requires_oracle: bool = False

    def fit(self, train: PairSet, val: PairSet | None = None) -> Method:  # noqa: B027 - optional hook
        return self

    @abstractmethod
    def denoise(self, noisy: np.ndarray, sfreq: float, **oracle: np.ndarray) -> np.ndarray:
        """Estimate clean windows from ``noisy`` (n, T) at ``sfreq`` Hz."""

    def get_params(self) -> dict:
        import inspect

        return {k: getattr(self, k) for k in inspect.signature(type(self).__init__).parameters if k != "self"}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


class Identity(Method):
    """Returns the noisy input unchanged: the 'no denoising' reference row."""

    name = "noisy_input"

    def denoise(self, noisy, sfreq, **oracle):
        return np.asarray(noisy, dtype=np.float64).copy()
