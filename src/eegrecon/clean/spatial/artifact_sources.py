"""Artifact sources: beamform the multichannel network's artifact topographies, clean their courses in time.

The multichannel network judges 2 s at a time and carries each artifact's waveform from channel to channel only
through a rank-4 fit per window. A blink's topography is the same for minutes, though, and once it is known the
best linear estimate of the blink's course is a spatial filter over every channel (a linearly constrained minimum
variance beamformer: unit gain on the topography, least power from everything else). That course still holds
some brain activity (what the filter cannot null), but the artifact dominates it, and in one course a blink is
easy to tell from EEG in time: the single-channel model does exactly that. The steps, per stretch of signal:

1. the artifact the network removed, ``R = x − y`` in average reference, gives the ``k`` dominant topographies
   ``A`` (n_chans, k) over the stretch;
2. the beamformer ``W = (Aᵀ C⁻¹ A)⁻¹ Aᵀ C⁻¹``, ``C`` the channel covariance of what the network kept, ``x − R``
   (its estimate of the brain activity; ridge 1e-3 of the mean eigenvalue), gives the source courses ``s = W x``.
   With the input's own covariance, a topography slightly off the true one makes the filter cancel the artifact
   (on real eegmmidb blinks it passed half of them);
3. the single-channel model cleans each course; what it removes, ``a = s − clean(s)``, is each source's
   artifact — all of the course where it stands far out of its own brain-level activity
   (:func:`whole_course_weight`: a blink on real recordings is ten times the EEG and larger than anything the models
   were trained on) — and ``A a`` replaces the network's own removal ``R``;
4. only where the network saw an event along a topography (its removal there is a large part of what the input
   holds along it), widened and smoothed over a fraction of a second, and only on the channels and samples the
   network acted on: elsewhere the output is the network's, and where its gate was closed the input itself.

With EOG/ECG channels, sources whose network course those channels explain keep the network's removal (it had
the waveform, and did better there); the others (muscle) are redone. Measured in
benchmarks/results/history/multichannel.md, "Artifact sources", and docs/multichannel.md.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.ndimage import maximum_filter1d, uniform_filter1d

from eegrecon.clean.spatial import refit

#: a course counts as an event from this fraction of the input's RMS along its topography (weight 0) to this one (1)
EVENT_RAMP = (0.25, 0.5)
#: each event is widened by this much on each side (s), then smoothed over this half-width (s)
EVENT_WIDENING_S = 0.5
EVENT_SMOOTHING_S = 0.25
#: ridge added to the channel covariance, as a fraction of its mean eigenvalue
COVARIANCE_RIDGE = 1e-3
#: a source whose network course the reference channels explain this well (R²) keeps the network's removal
REFERENCE_EXPLAINED = 0.5
#: a source course counts as all artifact from this many of its robust sds (0) to this many (1)
WHOLE_COURSE_RAMP = (5.0, 10.0)
#: and so does its neighbourhood, this far on each side (s): a blink's rise and fall with its peak
WHOLE_COURSE_WIDENING_S = 0.3
#: fewer samples than this many per source where the network acted and the stretch is left as the network left it
MIN_SAMPLES_PER_SOURCE = 256


def beamformer(x: np.ndarray, topographies: np.ndarray) -> np.ndarray:
    """Linearly constrained minimum-variance spatial filters: unit gain on each topography, zero on the others.

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        The signal whose power the filters minimise, average reference: EEG without the artifact (with it, a
        topography that is slightly off makes the filter cancel the artifact it should pass).
    topographies : ndarray, shape (n_chans, k)
        The patterns to pass.

    Returns
    -------
    ndarray, shape (k, n_chans)
        ``W`` with ``W @ topographies`` = identity.
    """
    c = x.shape[0]
    cov = np.cov(x)
    cov += COVARIANCE_RIDGE * np.trace(cov) / c * np.eye(c) + 1e-300 * np.eye(c)
    inv_a = np.linalg.solve(cov, topographies)  # C⁻¹ A
    return np.linalg.solve(topographies.T @ inv_a, inv_a.T)


def event_weight(courses: np.ndarray, projected: np.ndarray, sfreq: float,
                 ramp: tuple[float, float] = EVENT_RAMP) -> np.ndarray:
    """Where the network's removal is an artifact event, in [0, 1] per sample (any of the courses).

    Parameters
    ----------
    courses : ndarray, shape (k, n_times)
        The network's removal along each topography.
    projected : ndarray, shape (k, n_times)
        The input along the same topographies.
    sfreq : float
        Rate, Hz (for the widening and smoothing).
    ramp : (float, float)
        A course's size relative to the input's RMS along its topography where the weight leaves 0 and reaches 1.

    Returns
    -------
    ndarray, shape (n_times,)
        0 where no course is an event, 1 within events, ramps between.
    """
    weight = refit.event_weight(courses, projected, ramp).max(axis=0)
    weight = maximum_filter1d(weight, 2 * int(round(EVENT_WIDENING_S * sfreq)) + 1, mode="nearest")
    return uniform_filter1d(weight, 2 * int(round(EVENT_SMOOTHING_S * sfreq)) + 1, mode="nearest")


def whole_course_weight(courses: np.ndarray, sfreq: float) -> np.ndarray:
    """Where a source course is all artifact, in [0, 1] per sample: its size in robust sds of the course (median
    absolute value / 0.6745, the brain activity a course carries between events) ramped over
    :data:`WHOLE_COURSE_RAMP`, widened by :data:`WHOLE_COURSE_WIDENING_S` and smoothed over a tenth of a second.

    Parameters
    ----------
    courses : ndarray, shape (k, n_times)
        Beamformed source courses.
    sfreq : float
        Rate, Hz.

    Returns
    -------
    ndarray, shape (k, n_times)
    """
    sd = np.median(np.abs(courses), axis=1, keepdims=True) / 0.6745 + 1e-300
    lo, hi = WHOLE_COURSE_RAMP
    weight = np.clip((np.abs(courses) / sd - lo) / (hi - lo), 0.0, 1.0)
    weight = maximum_filter1d(weight, 2 * int(round(WHOLE_COURSE_WIDENING_S * sfreq)) + 1, axis=-1, mode="nearest")
    return np.clip(uniform_filter1d(weight, 2 * int(round(0.1 * sfreq)) + 1, axis=-1, mode="nearest"), 0.0, 1.0)


def explained_by(courses: np.ndarray, references: np.ndarray) -> np.ndarray:
    """Share of each course's power a least-squares fit on the reference channels explains (R², 0 to 1).

    Parameters
    ----------
    courses : ndarray, shape (k, n_times)
    references : ndarray, shape (n_refs, n_times)

    Returns
    -------
    ndarray, shape (k,)
    """
    refs = references - references.mean(axis=1, keepdims=True)
    fit = refit.least_squares(courses, refs) @ refs
    return 1.0 - np.sum((courses - fit) ** 2, axis=1) / np.maximum(np.sum(courses ** 2, axis=1), 1e-300)


def clean_in_source_space(x: np.ndarray, y: np.ndarray, n_sources: int,
                          clean_courses: Callable[[np.ndarray], np.ndarray], sfreq: float,
                          references: np.ndarray | None = None) -> np.ndarray:
    """The network's output with its removal along the dominant artifact topographies redone in source space.

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        Input EEG (any reference, any unit).
    y : ndarray, shape (n_chans, n_times)
        The multichannel network's output for it, same unit.
    n_sources : int
        Topographies taken (2: a blink/vertical and a horizontal eye pattern).
    clean_courses : callable
        ``(k, n_times) → (k, n_times)``: a single-channel denoiser at ``sfreq`` (same unit).
    sfreq : float
        Rate, Hz.
    references : ndarray, shape (n_refs, n_times) or None
        EOG/ECG channels the network had. A source whose network course they explain (R² ≥
        :data:`REFERENCE_EXPLAINED`) keeps the network's own removal: with the waveform in hand it did better.

    Returns
    -------
    ndarray, shape (n_chans, n_times)
        The new output; equal to ``y`` outside events, equal to ``x`` wherever ``y`` was.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    removed = x - y
    acted = removed != 0
    k = min(n_sources, x.shape[0] - 1)
    if k < 1 or acted.any(axis=0).sum() < MIN_SAMPLES_PER_SOURCE * k:
        return y
    x_avg = x - x.mean(axis=0)
    removed_avg = removed - removed.mean(axis=0)
    topographies = refit.artifact_topographies(removed_avg, k)
    weight = event_weight(topographies.T @ removed_avg, topographies.T @ x_avg, sfreq)
    if not weight.any():
        return y
    filters = beamformer(x_avg - removed_avg, topographies)  # minimise the power of what the network kept
    source_artifact = filters @ removed_avg  # the network's removal, per source
    redo = np.ones(k, dtype=bool)
    if references is not None and len(references):
        redo = explained_by(topographies.T @ removed_avg, np.asarray(references, dtype=np.float64)) \
            < REFERENCE_EXPLAINED
        if not redo.any():
            return y
    courses = filters[redo] @ x_avg
    cleaned = np.asarray(clean_courses(courses), dtype=np.float64)
    # where a course stands far out of its own brain-level activity (a real blink is ten times the EEG), all of it is
    # artifact, as ICA removes a whole component; elsewhere what the single-channel model removes from it
    source_artifact[redo] = courses - (1.0 - whole_course_weight(courses, sfreq)) * cleaned
    change = weight * (removed_avg - topographies @ source_artifact)
    return np.where(acted, y + change, y)
