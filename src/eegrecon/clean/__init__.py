"""The road from a recording to its cleaned version: adapters → survey → chunk engine (windows, rate conversion,
the network) → spatial stage → writers; streaming rides the same engine. ``Denoiser`` is the facade.

    from eegrecon.clean import Denoiser, denoise, StreamingDenoiser, clean_file
"""

from __future__ import annotations

from eegrecon.lazy import lazy_exports

_EXPORTS = {
    "Denoiser": "eegrecon.clean.denoiser",
    "denoise": "eegrecon.clean.denoiser",
    "StreamingDenoiser": "eegrecon.clean.streaming",
    "clean_file": "eegrecon.clean.files",
    "clean_files": "eegrecon.clean.files",
    "power_change": "eegrecon.clean.power_change",
}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports("eegrecon.clean", _EXPORTS)
