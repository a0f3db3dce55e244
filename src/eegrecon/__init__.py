"""eegrecon: reconstruct clean EEG from contaminated EEG.

    from eegrecon import Denoiser, denoise, load_pretrained, StreamingDenoiser
"""

from __future__ import annotations

__version__ = "0.1.0"

# the function ``denoise`` deliberately shadows the submodule of the same name (import it as eegrecon.denoise)
from eegrecon.denoise import Denoiser, denoise  # noqa: E402

__all__ = ["Denoiser", "StreamingDenoiser", "__version__", "denoise", "load_pretrained"]


def __getattr__(name: str):
    # lazy, so that `import eegrecon` does not pull in torch
    if name == "StreamingDenoiser":
        from eegrecon.streaming import StreamingDenoiser

        return StreamingDenoiser
    if name == "load_pretrained":
        from eegrecon.models.pretrained import load_pretrained

        return load_pretrained
    raise AttributeError(f"module 'eegrecon' has no attribute {name!r}")
