"""Every contamination by name. Real sources are used when the data layer found them; otherwise the
simulated generator of the same family stands in and says so (``origin``).
"""

from __future__ import annotations

from collections.abc import Callable

from eegrecon.data.windowset import WindowSet
from eegrecon.noise.base import Distortion, Noise
from eegrecon.noise.cardiac import SimulatedECG
from eegrecon.noise.colored import ColoredNoise
from eegrecon.noise.distortions import Clipping, Dropout
from eegrecon.noise.drift import BaselineDrift
from eegrecon.noise.gaussian import WhiteGaussian
from eegrecon.noise.line import LineNoise, LineNoise60
from eegrecon.noise.mixture import Mixture
from eegrecon.noise.motion import SimulatedMotion
from eegrecon.noise.muscle import SimulatedEMG
from eegrecon.noise.ocular import SimulatedEOG
from eegrecon.noise.pops import ElectrodePop
from eegrecon.noise.real import RealNoise
from eegrecon.options import check_option

SIMULATED: dict[str, Callable[[], Noise | Distortion]] = {
    "white": WhiteGaussian,
    "pink": lambda: ColoredNoise(1.0, name="pink"),
    "brown": lambda: ColoredNoise(2.0, name="brown"),
    "line": LineNoise,
    "line60": LineNoise60,
    "line_any": lambda: LineNoise(mains=None),
    "drift": BaselineDrift,
    "pop": ElectrodePop,
    "clipping": Clipping,
    "dropout": Dropout,
    "eog_sim": SimulatedEOG,
    "emg_sim": SimulatedEMG,
    "motion_sim": SimulatedMotion,
    "ecg_sim": SimulatedECG,
}

# real family name -> simulated fallback
REAL_FAMILIES: dict[str, str] = {"eog": "eog_sim", "emg": "emg_sim", "motion": "motion_sim",
                                 "ecg": "ecg_sim", "baseline_wander": "drift"}

MIXTURES: dict[str, list[tuple[str, float | tuple[float, float]]]] = {
    "mixed": [("eog", 1.0), ("emg", 1.0)],
    # muscle with the mains its electrodes picked up left in: 50 or 60 Hz at 1–10× the EMG's RMS per window
    # (un-notched Glasgow jaw-clench EMG has 97 % of its power at 50/100 Hz, ≈ 5.7× its muscle RMS); its SNR is
    # set on the EMG (SNR_ON), as when the same muscle activity is recorded with or without mains
    "emg_line": [("emg", 1.0), ("line_any", (1.0, 10.0))],
    "mixture": [("eog", 1.0), ("emg", 1.0), ("motion", 0.7), ("ecg", 0.3), ("line", 0.3), ("drift", 0.5),
                ("pop", 0.3), ("pink", 0.3), ("white", 0.2)],
}

#: mixtures whose SNR is set on one part (its name), not on the whole
SNR_ON: dict[str, str] = {"emg_line": "emg"}

#: the generalist task: what the flagship and the shipped model train on
TRAINING_NOISES: tuple[str, ...] = ("eog", "emg", "motion", "mixed")
#: what ``evaluate`` and the benchmarks report: the training noises and the whole-library mixture
EVALUATION_NOISES: tuple[str, ...] = (*TRAINING_NOISES, "mixture")


def noise_names() -> list[str]:
    """Every registered contamination: real families, mixtures, then simulated generators.

    Returns
    -------
    list of str
        Names accepted by :func:`get_noise`.
    """
    return [*REAL_FAMILIES, *MIXTURES, *SIMULATED]


def get_noise(name: str, pools: dict[str, WindowSet] | None = None) -> Noise | Distortion:
    """The contamination called ``name``; real families draw from ``pools[family]`` when present.

    Parameters
    ----------
    name : str
        One of :func:`noise_names`.
    pools : dict of str to WindowSet, optional
        Real artifact windows per family (``Corpus.pools(split)``).

    Returns
    -------
    Noise or Distortion
        The generator; ``origin`` says whether it is real or a simulated stand-in.
    """
    pools = pools or {}
    if name in REAL_FAMILIES:
        pool = pools.get(name)
        if pool is not None and len(pool):
            return RealNoise(name, pool)
        noise = SIMULATED[REAL_FAMILIES[name]]()
        noise.origin = f"simulated (no real {name} found)"
        return noise
    if name in MIXTURES:
        parts = [part for part, _ in MIXTURES[name]]
        snr_on = parts.index(SNR_ON[name]) if name in SNR_ON else None
        return Mixture([(get_noise(part, pools), w) for part, w in MIXTURES[name]], name=name, snr_on=snr_on)
    if name in SIMULATED:
        return SIMULATED[name]()
    check_option("noise", name, noise_names(), lookup=True)
    raise AssertionError("unreachable")  # pragma: no cover
