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
from dataclasses import dataclass

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
#: samples whose (unwidened) event weight reaches this fraction show the artifact's pattern (:func:`fit_sources`)
PATTERN_EVENT_CORE = 0.5
#: a source's power during events over its power in what the network kept: below the first, the network's own
#: topography is kept; from the second on, the input's pattern (between, a blend)
PATTERN_CONTRAST = (10.0, 30.0)


@dataclass(frozen=True)
class SourceModel:
    """Artifact topographies, their refined patterns and beamformer, fitted over a stretch or a whole recording.

    Parameters
    ----------
    topographies : ndarray, shape (n_chans, k)
        Orthonormal patterns of what the network removed, strongest first (average reference): where the network's
        removal along them is large, there is an event.
    patterns : ndarray, shape (n_chans, k)
        The artifact's spatial patterns as the input shows them during events (:func:`fit_sources`).
    filters : ndarray, shape (k, n_chans)
        The LCMV filters for ``patterns`` (``filters @ patterns`` = identity).
    """

    topographies: np.ndarray
    patterns: np.ndarray
    filters: np.ndarray


@dataclass(frozen=True)
class SourceSums:
    """Sums over samples that fix a :class:`SourceModel`; they add over stretches (chunks of a recording).

    Parameters
    ----------
    removed : ndarray, shape (n_chans, n_chans)
        ``Σ R Rᵀ``, ``R`` the network's removal in average reference.
    kept, kept_sum : ndarray, shapes (n_chans, n_chans) and (n_chans,)
        ``Σ K Kᵀ`` and ``Σ K``, ``K`` what the network kept (average reference).
    events : ndarray, shape (n_chans, n_chans)
        ``Σ w x xᵀ`` over the events' cores (input in average reference, ``w`` the event weight ≥
        :data:`PATTERN_EVENT_CORE`).
    event_weight : float
        ``Σ w`` over the same samples.
    n_times, n_acted : int
        Samples, and samples where the network removed something.
    """

    removed: np.ndarray
    kept: np.ndarray
    kept_sum: np.ndarray
    events: np.ndarray
    event_weight: float
    n_times: int
    n_acted: int

    def __add__(self, other: SourceSums) -> SourceSums:
        return SourceSums(self.removed + other.removed, self.kept + other.kept, self.kept_sum + other.kept_sum,
                          self.events + other.events, self.event_weight + other.event_weight,
                          self.n_times + other.n_times, self.n_acted + other.n_acted)


def source_sums(x: np.ndarray, y: np.ndarray, k: int) -> SourceSums:
    """The :class:`SourceSums` of one stretch; its events are found along the stretch's own ``k`` topographies.

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        Input EEG (any reference and unit).
    y : ndarray, shape (n_chans, n_times)
        The network's output for it.
    k : int
        Topographies.

    Returns
    -------
    SourceSums
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    removed = x - y
    n_acted = int((removed != 0).any(axis=0).sum())
    x_avg = x - x.mean(axis=0)
    removed -= removed.mean(axis=0)
    kept = x_avg - removed
    scatter = removed @ removed.T
    events, weight = np.zeros_like(scatter), 0.0
    if 1 <= k < len(x) and n_acted:
        topographies = refit.scatter_topographies(scatter, k)
        core = refit.event_weight(topographies.T @ removed, topographies.T @ x_avg, EVENT_RAMP).max(axis=0)
        at = core >= PATTERN_EVENT_CORE
        events, weight = (x_avg[:, at] * core[at]) @ x_avg[:, at].T, float(core[at].sum())
    return SourceSums(scatter, kept @ kept.T, kept.sum(axis=1), events, weight, x.shape[1], n_acted)


def fit_sources(sums: SourceSums, k: int) -> SourceModel | None:
    """The topographies, patterns and filters of ``k`` artifact sources; None when the network acted too little.

    1. topographies ``A``: the dominant eigenvectors of ``Σ R Rᵀ``; filters ``W`` for them (LCMV over the
       covariance of what the network kept);
    2. patterns ``P = E Wᵀ (W E Wᵀ)⁻¹``, ``E = Σ w x xᵀ`` over the events: the least-squares pattern of the input
       on the source courses ``W x`` there. The network's removal has the right shape but not the right spread
       over channels (on real recordings it takes less of a blink far from the eyes than is there); the input
       during events, brain activity being uncorrelated with the artifact's course, shows the artifact as it is —
       where the events stand far out of the brain activity along the source (their power over the kept signal's
       along it, ramped over :data:`PATTERN_CONTRAST`: real blinks reach 10–40, the small removals on clean EEG
       stay below 10). Then filters for ``P``.

    Parameters
    ----------
    sums : SourceSums
        Over a stretch or a whole recording.
    k : int
        Sources.

    Returns
    -------
    SourceModel or None
    """
    k = min(k, len(sums.removed) - 1)
    if k < 1 or sums.n_acted < MIN_SAMPLES_PER_SOURCE * k or sums.n_times < 2:
        return None
    topographies = refit.scatter_topographies(sums.removed, k)
    mean = sums.kept_sum / sums.n_times
    cov = (sums.kept - sums.n_times * np.outer(mean, mean)) / (sums.n_times - 1)
    filters = covariance_beamformer(cov, topographies)
    patterns = topographies
    gram = filters @ sums.events @ filters.T
    if sums.event_weight > 0 and np.linalg.matrix_rank(gram) == k:
        # how far each source's events stand out of its brain-level activity: trust the input's pattern only there
        contrast = np.diag(gram) / sums.event_weight / np.maximum(np.diag(filters @ cov @ filters.T), 1e-300)
        lo, hi = PATTERN_CONTRAST
        trust = np.clip((contrast - lo) / (hi - lo), 0.0, 1.0)
        if trust.any():
            patterns = topographies * (1 - trust) + sums.events @ filters.T @ np.linalg.inv(gram) * trust
            filters = covariance_beamformer(cov, patterns)
    return SourceModel(topographies, patterns, filters)


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
    return covariance_beamformer(np.cov(x), topographies)


def covariance_beamformer(cov: np.ndarray, topographies: np.ndarray) -> np.ndarray:
    """:func:`beamformer` from the channel covariance of the signal to minimise.

    Parameters
    ----------
    cov : ndarray, shape (n_chans, n_chans)
    topographies : ndarray, shape (n_chans, k)

    Returns
    -------
    ndarray, shape (k, n_chans)
    """
    c = len(cov)
    cov = cov + (COVARIANCE_RIDGE * np.trace(cov) / c + 1e-300) * np.eye(c)
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
                          references: np.ndarray | None = None, fitted: SourceModel | None = None) -> np.ndarray:
    """The network's output with its removal along the dominant artifact patterns redone in source space.

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        Input EEG (any reference, any unit).
    y : ndarray, shape (n_chans, n_times)
        The multichannel network's output for it, same unit.
    n_sources : int
        Sources (2: a blink/vertical and a horizontal eye pattern).
    clean_courses : callable
        ``(k, n_times) → (k, n_times)``: a single-channel denoiser at ``sfreq`` (same unit).
    sfreq : float
        Rate, Hz.
    references : ndarray, shape (n_refs, n_times) or None
        EOG/ECG channels the network had. A source whose network course they explain (R² ≥
        :data:`REFERENCE_EXPLAINED`) keeps the network's own removal: with the waveform in hand it did better.
    fitted : SourceModel or None
        Sources fitted over the whole recording (:mod:`~.recording_fit`); None: fitted here, over this stretch.

    Returns
    -------
    ndarray, shape (n_chans, n_times)
        The new output; equal to ``y`` outside events, equal to ``x`` wherever ``y`` was.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if fitted is None:
        fitted = fit_sources(source_sums(x, y, n_sources), n_sources)
    if fitted is None:
        return y
    removed = x - y
    acted = removed != 0
    x_avg = x - x.mean(axis=0)
    removed_avg = removed - removed.mean(axis=0)
    detect = fitted.topographies
    weight = event_weight(detect.T @ removed_avg, detect.T @ x_avg, sfreq)
    if not weight.any():
        return y
    filters, patterns = fitted.filters, fitted.patterns
    source_artifact = filters @ removed_avg  # the network's removal, per source
    redo = np.ones(len(filters), dtype=bool)
    if references is not None and len(references):
        redo = explained_by(source_artifact, np.asarray(references, dtype=np.float64)) < REFERENCE_EXPLAINED
        if not redo.any():
            return y
    courses = filters[redo] @ x_avg
    cleaned = np.asarray(clean_courses(courses), dtype=np.float64)
    # where a course stands far out of its own brain-level activity (a real blink is ten times the EEG), all of it is
    # artifact, as ICA removes a whole component; elsewhere what the single-channel model removes from it
    source_artifact[redo] = courses - (1.0 - whole_course_weight(courses, sfreq)) * cleaned
    change = weight * (removed_avg - patterns @ source_artifact)
    return np.where(acted, y + change, y)
