"""Library of EEG contaminations: one module per family, one registry by name."""

from eegrecon.noise.base import Distortion, Noise
from eegrecon.noise.registry import MIXTURES, REAL_FAMILIES, SIMULATED, get_noise, noise_names

__all__ = ["Distortion", "Noise", "MIXTURES", "REAL_FAMILIES", "SIMULATED", "get_noise", "noise_names"]
