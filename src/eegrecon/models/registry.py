"""Every denoising network by name, built with the shared vocabulary (n_chans, n_times, sfreq)."""

from __future__ import annotations

from eegrecon.models.base import DenoisingModel
from eegrecon.models.complex_cnn import ComplexCNN
from eegrecon.models.eegrecon_net import EEGReconNet
from eegrecon.models.fcnn import FCNN
from eegrecon.models.novel_cnn import NovelCNN
from eegrecon.models.rnn import LSTMNet
from eegrecon.models.simple_cnn import SimpleCNN
from eegrecon.models.transformer import EEGTransformer
from eegrecon.models.unet import UNet1D

MODELS: dict[str, type[DenoisingModel]] = {
    "fcnn": FCNN,
    "simple_cnn": SimpleCNN,
    "complex_cnn": ComplexCNN,
    "rnn": LSTMNet,
    "novel_cnn": NovelCNN,
    "transformer": EEGTransformer,
    "unet": UNet1D,
    "eegrecon_net": EEGReconNet,
}
PEERS = ("fcnn", "simple_cnn", "complex_cnn", "rnn", "novel_cnn")
FLAGSHIP = "eegrecon_net"


def build_model(name: str, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, **kwargs) -> DenoisingModel:
    """Instantiate the registered model ``name``."""
    if name not in MODELS:
        raise KeyError(f"unknown model {name!r}; choose from {', '.join(MODELS)}")
    return MODELS[name](n_chans=n_chans, n_times=n_times, sfreq=sfreq, **kwargs)
