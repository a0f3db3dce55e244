"""Denoising networks: one file per architecture, a registry by name, pretrained bundles.

Names are resolved on first use (PEP 562), so ``eegrecon.models.pretrained`` can be read without importing
torch; ``from eegrecon.models import build_model`` imports the registry and torch.
"""

from __future__ import annotations

from eegrecon.lazy import lazy_exports

_EXPORTS = {
    "DenoisingModel": "eegrecon.models.base",
    "n_parameters": "eegrecon.models.base",
    "FLAGSHIP": "eegrecon.models.registry",
    "MODELS": "eegrecon.models.registry",
    "MULTICHANNEL_MODELS": "eegrecon.models.registry",
    "ALL_MODELS": "eegrecon.models.registry",
    "PEERS": "eegrecon.models.registry",
    "build_model": "eegrecon.models.registry",
    "NeuralMethod": "eegrecon.models.neural",
    "DEFAULT_MODEL": "eegrecon.models.pretrained",
    "PRETRAINED": "eegrecon.models.pretrained",
    "Bundle": "eegrecon.models.pretrained",
    "load_method": "eegrecon.models.pretrained",
    "load_pretrained": "eegrecon.models.pretrained",
}
__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports("eegrecon.models", _EXPORTS)
