"""The artifact's common mode: what average reference cannot see, restored in the recording's own reference.

The multichannel network and the spatial steps after it work in average reference: what they remove from a
channel is the artifact minus its mean over the channels. A recording in its own reference (linked ears, mastoids,
Cz, …) holds the whole artifact, that mean included: subtracting only the average-referenced part leaves the mean,
``m(t)``, on every channel, so a blink shrinks at Fp1 and appears at Oz. This module estimates ``m(t)`` and adds it
back to the removal:

1. the removal ``R`` (n_chans, n_times), average-referenced, gives its ``k`` dominant topographies and courses
   ``S`` (:func:`~eegrecon.clean.spatial.refit.artifact_topographies`);
2. artifact events are where those courses are a large part of what the input holds along their topographies
   (:func:`~eegrecon.clean.spatial.artifact_sources.event_weight`, widened and smoothed: ``w(t)`` in [0, 1]). On
   clean EEG the network's few small removals are no events, so nothing changes there;
3. the input's mean over channels, ``x̄(t)``, is the brain's common mode plus the artifact's, ``cᵀ S(t)``; brain
   activity is uncorrelated with the artifact courses over a stretch, so least squares of ``x̄`` on ``S`` over the
   events (weighted by ``w``) gives ``c``;
4. the removal becomes ``R − mean(R) + w cᵀ S`` on every channel and sample where something was removed; where
   nothing was removed the output stays the input, bit for bit.

An average-referenced input has ``x̄ = 0``: ``c = 0`` and the output is the one before this step, exactly.
"""

from __future__ import annotations

import numpy as np

from eegrecon.clean.spatial.artifact_sources import event_weight
from eegrecon.clean.spatial.refit import artifact_topographies, least_squares

#: artifact courses the common mode is fitted on (blink/vertical, horizontal, one more)
N_COURSES = 3
#: at least this many samples where something was removed per fitted course (fewer: fewer courses, at least one)
MIN_SAMPLES_PER_COURSE = 256
#: a course is an event from this size relative to the input's RMS along its topography (0) to this one (1): above
#: the network's small removals on clean EEG
EVENT_RAMP = (0.5, 1.0)
#: an input whose channel mean is below this fraction of its RMS is already in average reference: left as it is
AVERAGE_REFERENCE_TOLERANCE = 1e-9


def is_average_referenced(x: np.ndarray) -> bool:
    """Whether the channels sum to zero at every sample (to :data:`AVERAGE_REFERENCE_TOLERANCE` of the RMS).

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        Signals.

    Returns
    -------
    bool
        True for average-referenced (or all-zero) input.
    """
    scale = float(np.sqrt(np.mean(x ** 2))) if x.size else 0.0
    return scale == 0.0 or float(np.max(np.abs(x.mean(axis=0)))) <= AVERAGE_REFERENCE_TOLERANCE * scale


def artifact_common_mode(x: np.ndarray, y: np.ndarray, sfreq: float, n_courses: int = N_COURSES) -> np.ndarray:
    """The artifact's mean over channels, in the input's reference, as estimated from what was removed.

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        Input EEG in the recording's reference (any unit).
    y : ndarray, shape (n_chans, n_times)
        The cleaned EEG (average-referenced removal ``x − y``), same unit.
    sfreq : float
        Rate, Hz (for the events' widening and smoothing).
    n_courses : int
        Artifact courses fitted.

    Returns
    -------
    ndarray, shape (n_times,)
        ``w(t) cᵀ S(t)``; zeros for an average-referenced input, outside artifact events and where nothing was
        removed.
    """
    removed = x - y
    columns = (removed != 0).any(axis=0)
    n_acted = int(columns.sum())
    if n_acted == 0 or x.shape[0] < 2 or is_average_referenced(x):
        return np.zeros(x.shape[1])
    removed_avg = removed - removed.mean(axis=0)
    k = max(1, min(n_courses, x.shape[0] - 1, n_acted // MIN_SAMPLES_PER_COURSE))
    topographies = artifact_topographies(removed_avg[:, columns], k)
    courses = topographies.T @ removed_avg  # (k, n_times)
    events = event_weight(courses, topographies.T @ (x - x.mean(axis=0)), sfreq, EVENT_RAMP)
    fit = events > 0
    if not fit.any():
        return np.zeros(x.shape[1])
    coefficients = least_squares(x.mean(axis=0)[None, fit], courses[:, fit], events[fit])  # (1, k)
    return events * (coefficients @ courses)[0]


def restore_common_mode(x: np.ndarray, y: np.ndarray, sfreq: float, n_courses: int = N_COURSES) -> np.ndarray:
    """``y`` with the artifact's common mode removed as well: right in the input's own reference.

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        Input EEG in the recording's reference.
    y : ndarray, shape (n_chans, n_times)
        Output of the average-reference cleaning steps, same unit.
    sfreq : float
        Rate, Hz.
    n_courses : int
        Artifact courses the common mode is fitted on.

    Returns
    -------
    ndarray, shape (n_chans, n_times)
        Equal to ``y`` for average-referenced input and outside artifact events; equal to ``x`` wherever ``y`` was.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    common = artifact_common_mode(x, y, sfreq, n_courses)
    if not common.any():
        return y
    removed = x - y
    acted = removed != 0
    return np.where(acted, x - (removed - removed.mean(axis=0) + common), y)
