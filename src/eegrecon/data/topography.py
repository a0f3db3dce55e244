"""Where artifacts appear on the scalp: randomised, physically grounded topographies for any montage.

Eye and muscle sources are current dipoles placed at anatomical sites (MNE head coordinates, metres) and
projected onto the electrodes with MNE's forward model (:func:`mne.make_forward_solution`) in a homogeneous
sphere fitted to the electrodes and enlarged to hold the eyes (the eyes and the scalp muscles sit outside the
skull, so no skull layer lies between them and the electrodes). The heart is far below the head: its field is
that of a dipole in an infinite homogeneous medium. Every topography is average-referenced (zero mean over
channels), the reference the multichannel model works in.

Randomised per draw: the eye positions (±4 mm), the sphere's size (the fall-off from front to back), the
orientations (vertical eye movements and blinks ±20° from vertical; horizontal movements ±20° from the left-right
axis), the muscle sites' depth and orientation, the heart's axis.

The bank also holds brain sources (dipoles at random places 55–85 % of the scalp radius from the centre, i.e. in
the cortex and below it, in MNE's four-layer sphere whose skull smears their fields): not artifacts, they give the
broadband background of real recordings (:mod:`eegrecon.data.background`) a physical spatial structure.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

#: eyeball centres, head coordinates (m): 32 mm either side of the midline, behind and below the nasion
EYES = np.array([[-0.032, 0.095, -0.015], [0.032, 0.095, -0.015]])
#: muscle sites (left side; mirrored for the right), head coordinates (m)
MUSCLE_SITES = {
    "frontalis": np.array([-0.030, 0.115, 0.055]),
    "temporalis": np.array([-0.080, 0.040, 0.040]),
    "masseter": np.array([-0.070, 0.050, -0.040]),
    "neck": np.array([-0.035, -0.085, -0.020]),
}
#: sphere radius relative to the farthest eye from the sphere's centre: sets how steeply EOG falls off
SPHERE_SCALES = (1.08, 1.18, 1.3)
#: heart position relative to the head's sphere centre (m): ~30 cm below, a little forward and left
HEART = np.array([-0.03, 0.03, -0.30])
#: brain sources: distance from the sphere's centre as a fraction of the fitted scalp radius (MNE's layered
#: sphere puts the brain's surface at 0.9)
BRAIN_DEPTH = (0.55, 0.85)


def fit_sphere(pos: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares sphere through electrode positions.

    Parameters
    ----------
    pos : ndarray, shape (n, 3)
        Positions, metres (finite rows only).

    Returns
    -------
    (ndarray, float)
        Centre (3,) and radius, metres.
    """
    a = np.c_[2 * pos, np.ones(len(pos))]
    sol = np.linalg.lstsq(a, (pos ** 2).sum(axis=1), rcond=None)[0]
    centre = sol[:3]
    return centre, float(np.sqrt(sol[3] + centre @ centre))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def sphere_gains(pos: np.ndarray, sources: np.ndarray, centre: np.ndarray, radius: float,
                 layered: bool = False) -> np.ndarray:
    """Free-orientation EEG gains of point sources in a sphere, by MNE's forward model.

    Parameters
    ----------
    pos : ndarray, shape (n_chans, 3)
        Electrode positions, metres, head coordinates.
    sources : ndarray, shape (n_src, 3)
        Dipole positions inside the sphere, metres.
    centre, radius : ndarray (3,), float
        The sphere.
    layered : bool
        MNE's four-layer head (brain, CSF, skull, scalp; the skull smears brain sources' fields) instead of a
        homogeneous sphere (for sources outside the skull: eyes, muscles).

    Returns
    -------
    ndarray, shape (n_src, 3, n_chans)
        Potential per unit dipole moment along x, y, z, average-referenced.
    """
    import mne

    names = [f"E{i}" for i in range(len(pos))]
    info = mne.create_info(names, 256.0, "eeg")
    montage = mne.channels.make_dig_montage(dict(zip(names, pos)), coord_frame="head")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        info.set_montage(montage)
        layers = {} if layered else {"relative_radii": (0.999, 1.0), "sigmas": (0.33, 0.33)}
        sphere = mne.make_sphere_model(r0=tuple(centre), head_radius=radius, verbose="error", **layers)
        src = mne.setup_volume_source_space(pos=dict(rr=sources, nn=np.tile([0.0, 0.0, 1.0], (len(sources), 1))),
                                            sphere=sphere, verbose="error")
        fwd = mne.make_forward_solution(info, None, src, sphere, meg=False, eeg=True, mindist=0.0, verbose="error")
    if fwd["nsource"] != len(sources):
        raise ValueError(f"{len(sources) - fwd['nsource']} source(s) fell outside the sphere")
    gain = fwd["sol"]["data"].reshape(len(pos), len(sources), 3).transpose(1, 2, 0)
    return gain - gain.mean(axis=-1, keepdims=True)


def infinite_medium_field(pos: np.ndarray, source: np.ndarray, moment: np.ndarray) -> np.ndarray:
    """Potential of a dipole in an infinite homogeneous medium (for far sources such as the heart).

    Parameters
    ----------
    pos : ndarray, shape (n_chans, 3)
        Electrodes, metres.
    source : ndarray, shape (3,)
        Dipole position, metres.
    moment : ndarray, shape (3,)
        Dipole moment (arbitrary units).

    Returns
    -------
    ndarray, shape (n_chans,)
        Average-referenced potential (arbitrary units).
    """
    d = pos - source
    v = d @ moment / np.linalg.norm(d, axis=1) ** 3
    return v - v.mean()


def _brain_sources(centre: np.ndarray, radius: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` random points in the upper part of the sphere at :data:`BRAIN_DEPTH` of its radius (metres)."""
    direction = _unit(rng.normal(size=(n, 3)))
    direction[:, 2] = np.abs(direction[:, 2])  # above the sphere's equator, where electrodes are
    depth = rng.uniform(*BRAIN_DEPTH, (n, 1)) * radius
    return centre + direction * depth


def _rotate_towards(axis: np.ndarray, max_deg: float, rng: np.random.Generator) -> np.ndarray:
    """``axis`` tilted in a random direction by up to ``max_deg`` degrees (unit vector)."""
    tilt = np.deg2rad(rng.uniform(0, max_deg))
    perp = np.cross(axis, rng.normal(size=3))
    return _unit(np.cos(tilt) * axis + np.sin(tilt) * _unit(perp))


@dataclass
class TopographyBank:
    """Precomputed gains of eye and muscle sources for one montage; draws random topographies from them.

    Parameters
    ----------
    pos : ndarray, shape (n_chans, 3)
        Electrode positions, metres, head coordinates (finite).
    eye_gains : ndarray, shape (n_draws, 2, 3, n_chans)
        Both eyes' free-orientation gains, per sphere size and eye-position jitter.
    muscle_gains : dict of str to ndarray, shape (n_draws, 3, n_chans)
        Per muscle kind, sites on either side at random depths.
    centre : ndarray, shape (3,)
        The fitted sphere's centre.
    brain_gains : ndarray, shape (n_brain, 3, n_chans)
        Free-orientation gains of brain sources at random places (upper half of the head).
    """

    pos: np.ndarray
    eye_gains: np.ndarray
    muscle_gains: dict[str, np.ndarray]
    centre: np.ndarray
    brain_gains: np.ndarray

    @classmethod
    def build(cls, pos: np.ndarray, seed: int = 0, n_eye: int = 12, n_muscle: int = 16,
              n_brain: int = 64) -> TopographyBank:
        """Compute the gains (a few MNE forward solutions; ~0.5 s).

        Parameters
        ----------
        pos : ndarray, shape (n_chans, 3)
            Electrode positions, metres.
        seed : int
            Seed of the jitter.
        n_eye : int
            Eye-position jitters per sphere size.
        n_muscle : int
            Sites per muscle kind per sphere size.
        n_brain : int
            Brain sources.

        Returns
        -------
        TopographyBank
            The bank.
        """
        rng = np.random.default_rng(seed)
        pos = np.asarray(pos, dtype=float)
        centre, fitted = fit_sphere(pos)
        eyes, muscles = [], {k: [] for k in MUSCLE_SITES}
        brain = _brain_sources(centre, fitted, n_brain, np.random.default_rng([seed, 1]))
        for scale in SPHERE_SCALES:
            jitter = rng.uniform(-0.004, 0.004, (n_eye, 1, 3))
            eye_pos = (EYES[None] + jitter).reshape(-1, 3)
            radius = max(fitted, scale * np.linalg.norm(eye_pos - centre, axis=1).max())
            sites = []
            for site in MUSCLE_SITES.values():
                side = np.where(rng.random(n_muscle) < 0.5, -1.0, 1.0)
                mirrored = site[None] * np.c_[side, np.ones(n_muscle), np.ones(n_muscle)]
                direction = _unit(mirrored + rng.normal(0, 0.008, (n_muscle, 3)) - centre)
                depth = rng.uniform(0.86, 0.95, (n_muscle, 1)) * fitted
                sites.append(centre + direction * np.minimum(depth, 0.97 * radius))
            gains = sphere_gains(pos, np.concatenate([eye_pos, *sites]), centre, radius)
            eyes.append(gains[: len(eye_pos)].reshape(n_eye, 2, 3, len(pos)))
            for k, kind in enumerate(MUSCLE_SITES):
                start = len(eye_pos) + k * n_muscle
                muscles[kind].append(gains[start:start + n_muscle])
        brain_gains = sphere_gains(pos, brain, centre, fitted, layered=True)
        return cls(pos, np.concatenate(eyes), {k: np.concatenate(v) for k, v in muscles.items()}, centre,
                   brain_gains)

    @property
    def n_chans(self) -> int:
        """Channels of the montage."""
        return len(self.pos)

    def eye(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """A vertical (blinks, up/down movements) and a horizontal (left/right movements) eye topography.

        Parameters
        ----------
        rng : numpy.random.Generator
            Random source.

        Returns
        -------
        (ndarray, ndarray), each shape (n_chans,)
            Unit-peak topographies; the vertical one is positive at the front.
        """
        g = self.eye_gains[rng.integers(len(self.eye_gains))]  # (2 eyes, 3, n_chans)
        vertical = sum(_rotate_towards(np.array([0.0, 0.0, 1.0]), 20, rng) @ g[e] for e in range(2))
        horizontal = sum(_rotate_towards(np.array([1.0, 0.0, 0.0]), 20, rng) @ g[e] for e in range(2))
        vertical = vertical / np.abs(vertical).max()
        if vertical[np.argmax(self.pos[:, 1])] < 0:
            vertical = -vertical
        return vertical, horizontal / np.abs(horizontal).max()

    def muscle(self, rng: np.random.Generator, kind: str | None = None) -> np.ndarray:
        """The topography of one muscle site with a random orientation.

        Parameters
        ----------
        rng : numpy.random.Generator
            Random source.
        kind : str or None
            A key of :data:`MUSCLE_SITES` (random when None).

        Returns
        -------
        ndarray, shape (n_chans,)
            Unit-peak topography.
        """
        kind = kind or list(MUSCLE_SITES)[rng.integers(len(MUSCLE_SITES))]
        gains = self.muscle_gains[kind]
        v = _unit(rng.normal(size=3)) @ gains[rng.integers(len(gains))]
        return v / np.abs(v).max()

    def brain(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Topographies of ``n`` brain sources with random orientations (relative gains kept: deep ones are weak).

        Parameters
        ----------
        rng : numpy.random.Generator
            Random source.
        n : int
            Sources.

        Returns
        -------
        ndarray, shape (n, n_chans)
            Scaled so the strongest entry over all ``n`` is 1.
        """
        picks = rng.choice(len(self.brain_gains), size=n, replace=n > len(self.brain_gains))
        moments = _unit(rng.normal(size=(n, 3)))
        v = np.einsum("nk,nkc->nc", moments, self.brain_gains[picks])
        return v / max(np.abs(v).max(), 1e-30)

    def heart(self, rng: np.random.Generator) -> np.ndarray:
        """The topography of the heart's field (far dipole, random axis around the mean electrical axis).

        Parameters
        ----------
        rng : numpy.random.Generator
            Random source.

        Returns
        -------
        ndarray, shape (n_chans,)
            Unit-peak topography.
        """
        moment = _rotate_towards(_unit(np.array([0.4, 0.2, -1.0])), 40, rng)
        v = infinite_medium_field(self.pos, self.centre + HEART + rng.normal(0, 0.02, 3), moment)
        return v / np.abs(v).max()
