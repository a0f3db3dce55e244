"""Classical baselines behind the :class:`~eegrecon.method.Method` interface, by name."""

from __future__ import annotations

from collections.abc import Callable

from eegrecon.baselines.filters import BandpassNotch
from eegrecon.baselines.wavelet import WaveletThreshold
from eegrecon.baselines.wiener import OracleWiener, WienerFilter
from eegrecon.method import Identity, Method

BASELINES: dict[str, Callable[[], Method]] = {
    "noisy_input": Identity,
    "bandpass": BandpassNotch,
    "wavelet": WaveletThreshold,
    "wiener": WienerFilter,
    "oracle_wiener": OracleWiener,
}

__all__ = ["BASELINES", "BandpassNotch", "Identity", "OracleWiener", "WaveletThreshold", "WienerFilter"]
