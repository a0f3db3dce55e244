"""Denoising networks: one file per architecture, a registry by name."""

from eegrecon.models.base import DenoisingModel, n_parameters
from eegrecon.models.registry import FLAGSHIP, MODELS, PEERS, build_model

__all__ = ["FLAGSHIP", "MODELS", "PEERS", "DenoisingModel", "build_model", "n_parameters"]
