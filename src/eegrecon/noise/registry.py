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

SIMULATED: dict[str, Callable[[], Noise | Distortion]] = {
    "white": WhiteGaussian,
    "pink": lambda: ColoredNoise(1.0, name="pink"),
    "brown": lambda: ColoredNoise(2.0, name="brown"),
    "line": LineNoise,
    "line60": LineNoise60,
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

MIXTURES: dict[str, list[tuple[str, float]]] = {
    "mixed": [("eog", 1.0), ("emg", 1.0)],
    "mixture": [("eog", 1.0), ("emg", 1.0), ("motion", 0.7), ("ecg", 0.3), ("line", 0.3), ("drift", 0.5),
                ("pop", 0.3), ("pink", 0.3), ("white", 0.2)],
}


def noise_names() -> list[str]:
    return [*REAL_FAMILIES, *MIXTURES, *SIMULATED]


def get_noise(name: str, pools: dict[str, WindowSet] | None = None) -> Noise | Distortion:
    """The contamination called ``name``; real families draw from ``pools[family]`` when present."""
    pools = pools or {}
    if name in REAL_FAMILIES:
        pool = pools.get(name)
        if pool is not None and len(pool):
            return RealNoise(name, pool)
        noise = SIMULATED[REAL_FAMILIES[name]]()
        noise.origin = f"simulated (no real {name} found)"
        return noise
    if name in MIXTURES:
        return Mixture([(get_noise(part, pools), w) for part, w in MIXTURES[name]], name=name)
    if name in SIMULATED:
        return SIMULATED[name]()
    raise KeyError(f"unknown noise {name!r}; choose from {', '.join(noise_names())}")
