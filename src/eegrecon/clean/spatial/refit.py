"""Recording-level refit of a multichannel model's artifact estimate.

The multichannel network judges each 2-s window on its own, so its estimate of a stereotyped artifact (a blink,
a saccade) can have the right shape and topography but the wrong amplitude: on real recordings it removes part
of each blink and leaves the rest. ICA and EOG regression do not have that problem because they fit one mixing
per recording. This module brings that to the network's output, as EOG regression does with an EOG channel, but
with the network's own artifact as the regressor:

1. the artifact the network removed, ``A = x − y`` (EEG rows, µV or V), is reduced to its ``k`` dominant spatial
   components over the whole stretch: topographies ``U`` (n_chans, k) and courses ``S = Uᵀ A`` (k, n_times);
2. each sample of each course gets an event weight (:func:`event_weight`): large where the network removed much of
   what the input holds along that topography, 0 for the small removals it makes on clean EEG;
3. every channel of the output is regressed on the courses by least squares weighted by the events:
   ``B = Y W Sᵀ (S W Sᵀ)⁻¹``. Brain activity the network left alone is uncorrelated with the courses over minutes,
   so ``B`` estimates what is left of (or was removed beyond) the artifact;
4. ``B (W ⊙ S)`` is subtracted only where the network acted on that channel (``A ≠ 0``): where the model's gate was
   closed the output stays equal to the input (do no harm).
"""

from __future__ import annotations

import numpy as np

#: fewer samples than this many per fitted course and the fit is skipped (too little to separate brain from artifact)
MIN_SAMPLES_PER_COURSE = 256
#: a course counts as an event from this fraction of the input's RMS along its topography (0) to this one (1)
EVENT_RAMP = (0.5, 1.0)


def artifact_refit(x: np.ndarray, y: np.ndarray, n_components: int) -> np.ndarray:
    """The correction to subtract from ``y`` after regressing it on the dominant courses of ``x − y``.

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        Input EEG (any unit).
    y : ndarray, shape (n_chans, n_times)
        The multichannel model's output for it, same unit.
    n_components : int
        Courses fitted (1–3 are sensible: blinks, vertical and horizontal eye movements).

    Returns
    -------
    ndarray, shape (n_chans, n_times)
        ``B S`` where the model acted on each channel, 0 elsewhere; all zeros when it acted on too few samples.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    artifact = x - y
    acted = artifact != 0
    columns = acted.any(axis=0)
    k = min(n_components, x.shape[0])
    if k < 1 or columns.sum() < MIN_SAMPLES_PER_COURSE * k:  # events are a subset: skip the decomposition
        return np.zeros_like(x)
    topographies = artifact_topographies(artifact[:, columns], k)
    courses = topographies.T @ artifact  # (k, n_times), zero where the model acted nowhere
    weight = event_weight(courses, topographies.T @ x)
    sample_weight = weight.max(axis=0)
    fit = sample_weight > 0
    if fit.sum() < MIN_SAMPLES_PER_COURSE * k:
        return np.zeros_like(x)
    weights = least_squares(y[:, fit], courses[:, fit], sample_weight[fit])  # (n_chans, k)
    return np.where(acted, weights @ (weight * courses), 0.0)


def artifact_topographies(removed: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` dominant spatial patterns of what the network removed.

    Parameters
    ----------
    removed : ndarray, shape (n_chans, n_times)
        The network's removed artifact.
    k : int
        How many.

    Returns
    -------
    ndarray, shape (n_chans, k)
        Orthonormal topographies, strongest first.
    """
    return scatter_topographies(removed @ removed.T, k)  # n_chans × n_chans rather than an SVD of the long matrix


def scatter_topographies(scatter: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` dominant eigenvectors of a removal's scatter matrix ``R Rᵀ`` (n_chans, n_chans), strongest first:
    :func:`artifact_topographies` from sums that pool over stretches.

    Parameters
    ----------
    scatter : ndarray, shape (n_chans, n_chans)
    k : int

    Returns
    -------
    ndarray, shape (n_chans, k)
    """
    _, vectors = np.linalg.eigh(scatter)
    return vectors[:, ::-1][:, :k]


def least_squares(y: np.ndarray, s: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """``B`` minimising Σₜ wₜ ‖y[:, t] − B s[:, t]‖², with a tiny ridge so that a flat course is harmless.

    Parameters
    ----------
    y : ndarray, shape (n_rows, n_times)
        What is explained.
    s : ndarray, shape (k, n_times)
        The regressors.
    w : ndarray, shape (n_times,) or None
        Sample weights (None: all 1).

    Returns
    -------
    ndarray, shape (n_rows, k)
        The coefficients.
    """
    sw = s if w is None else s * w
    gram = sw @ s.T
    gram += (1e-9 * np.trace(gram) / len(gram) + 1e-300) * np.eye(len(gram))
    return np.linalg.solve(gram, sw @ y.T).T


def event_weight(courses: np.ndarray, projected: np.ndarray,
                 ramp: tuple[float, float] = EVENT_RAMP) -> np.ndarray:
    """How much each sample of each course counts as an artifact event, in [0, 1].

    An event is where the network removed a large part of what the input holds along that topography: the
    course's magnitude relative to the input's RMS along it, ramped from 0 at ``EVENT_RAMP[0]`` to 1 at
    ``EVENT_RAMP[1]``. On clean EEG the network's (few, small) removals stay below the ramp, so nothing is refitted.

    Parameters
    ----------
    courses : ndarray, shape (k, n_times)
        The network's artifact along each topography.
    projected : ndarray, shape (k, n_times)
        The input along the same topographies.
    ramp : (float, float)
        The course's size relative to that RMS where the weight leaves 0 and reaches 1.

    Returns
    -------
    ndarray, shape (k, n_times)
        Weights.
    """
    scale = np.sqrt(np.mean(projected ** 2, axis=1, keepdims=True)) + 1e-300
    lo, hi = ramp
    return np.clip((np.abs(courses) / scale - lo) / (hi - lo), 0.0, 1.0)
