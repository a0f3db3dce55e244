"""The one interface every denoiser implements: classical baselines and neural networks alike.

Methods work on *normalised* windows (each divided by the std of its noisy window, see
:class:`~eegrecon.data.pairs.PairSet`), shape (n, n_times), time last. They follow the estimator contract of
:mod:`eegrecon.estimator`: constructor arguments stored as given, learned state in attributes ending in ``_``,
``fit`` returns ``self``, and a method that learns from data refuses to ``denoise`` before ``fit``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

import numpy as np

from eegrecon.estimator import Estimator, check_is_fitted

if TYPE_CHECKING:  # training pairs are the study side's: a Method that cleans recordings never needs them
    from eegrecon.data.pairs import PairSet


class Method(Estimator, ABC):
    """A denoiser: ``fit(train, val)`` then ``denoise(noisy, sfreq)`` → clean estimate (n, T).

    Class attributes
    ----------------
    name : str
        Row label in result tables.
    requires_oracle : bool
        Oracle methods also receive the true clean and artifact windows (upper bounds, not usable).
    sfreq : float or None
        The rate the method works at (Hz), for methods tied to one (networks); None: any rate.
    n_times : int or None
        The window length it was built for (samples), or None.
    """

    name: str = "method"
    requires_oracle: bool = False
    sfreq: float | None = None
    n_times: int | None = None

    def fit(self, train: PairSet, val: PairSet | None = None) -> Method:  # noqa: B027 - optional hook
        """Learn from training pairs (nothing, by default).

        Parameters
        ----------
        train : PairSet
            Normalised training pairs.
        val : PairSet or None
            Validation pairs, for methods that select on them.

        Returns
        -------
        Method
            ``self``.
        """
        return self

    def _is_fitted(self) -> bool:
        # a method that does not override fit learns nothing and is always ready
        return type(self).fit is Method.fit or super()._is_fitted()

    @abstractmethod
    def denoise(self, noisy: np.ndarray, sfreq: float, **oracle: np.ndarray) -> np.ndarray:
        """Estimate clean windows.

        Parameters
        ----------
        noisy : ndarray, shape (n, n_times)
            Normalised noisy windows.
        sfreq : float
            Their sampling rate, Hz.
        **oracle : ndarray
            ``clean`` and ``artifact`` windows, passed only to methods with ``requires_oracle``.

        Returns
        -------
        ndarray, shape (n, n_times)
            The clean estimate, float64.
        """


class Identity(Method):
    """Returns the noisy input unchanged: the 'no denoising' reference row."""

    name = "noisy_input"

    def denoise(self, noisy, sfreq, **oracle):
        return np.asarray(noisy, dtype=np.float64).copy()


class TestTimeEnsemble(Method):
    """Average a method over the input's sign flip and time reversal (EEG has no preferred polarity or
    direction at this scale): mean of f(x), −f(−x), R f(R x), −R f(−R x).

    Parameters
    ----------
    method : Method
        The (fitted) method to average.
    name : str or None
        Row label; default ``"<method> + test-time ensemble"``.
    """

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, method: Method, name: str | None = None):
        self.method = method
        self.name = name or f"{method.name} + test-time ensemble"

    @property
    def sfreq(self) -> float | None:
        return self.method.sfreq

    @property
    def n_times(self) -> int | None:
        return self.method.n_times

    def _is_fitted(self) -> bool:
        return self.method.__sklearn_is_fitted__()

    def denoise(self, noisy, sfreq, **oracle):
        check_is_fitted(self.method)
        x = np.asarray(noisy, dtype=np.float64)
        n = len(x)
        reversed_ = x[:, ::-1]
        # one call on the four variants stacked: fewer, fuller batches than four calls
        y = self.method.denoise(np.ascontiguousarray(np.concatenate([x, -x, reversed_, -reversed_])), sfreq)
        outs = [y[:n], -y[n:2 * n], y[2 * n:3 * n, ::-1], -y[3 * n:, ::-1]]
        return np.mean(outs, axis=0)
