"""eegrecon: reconstruct clean EEG from contaminated EEG.

    from eegrecon import Denoiser, denoise, load_pretrained, StreamingDenoiser

``import eegrecon`` imports NumPy and SciPy only: torch is imported when a network is loaded, MNE when a
recording is read or an MNE object is cleaned.
"""

from __future__ import annotations

from typing import Any

from eegrecon._version import __version__
from eegrecon.clean.denoiser import Denoiser, denoise

__all__ = ["Denoiser", "StreamingDenoiser", "__version__", "denoise", "load_pretrained"]


def __getattr__(name: str) -> Any:
    if name == "StreamingDenoiser":
        from eegrecon.clean.streaming import StreamingDenoiser

        return StreamingDenoiser
    if name == "load_pretrained":
        from eegrecon.models.pretrained import load_pretrained

        return load_pretrained
    raise AttributeError(f"module 'eegrecon' has no attribute {name!r}")
