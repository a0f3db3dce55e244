"""Library of EEG contaminations: one module per family, one registry by name."""

from eegrecon.noise.base import Distortion, Noise
from eegrecon.noise.registry import (
    EVALUATION_NOISES,
    MIXTURES,
    REAL_FAMILIES,
    SIMULATED,
    TRAINING_NOISES,
    get_noise,
    noise_names,
)

__all__ = ["EVALUATION_NOISES", "MIXTURES", "REAL_FAMILIES", "SIMULATED", "TRAINING_NOISES", "Distortion", "Noise",
           "get_noise", "noise_names"]
