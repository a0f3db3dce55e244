"""Every denoising network by name, built with the shared vocabulary (n_chans, n_times, sfreq)."""

from __future__ import annotations

from eegrecon.models.base import DenoisingModel
from eegrecon.models.complex_cnn import ComplexCNN
from eegrecon.models.eegrecon_net import EEGReconNet
from eegrecon.models.fcnn import FCNN
from eegrecon.models.multichannel_net import EEGReconMC
from eegrecon.models.novel_cnn import NovelCNN
from eegrecon.models.rnn import LSTMNet
from eegrecon.models.simple_cnn import SimpleCNN
from eegrecon.models.transformer import EEGTransformer
from eegrecon.models.unet import UNet1D
from eegrecon.options import check_option

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
#: networks that clean all channels of a recording together (they take positions and references too)
MULTICHANNEL_MODELS: dict[str, type[DenoisingModel]] = {"eegrecon_mc": EEGReconMC}
#: every architecture, single- and multichannel
ALL_MODELS: dict[str, type[DenoisingModel]] = {**MODELS, **MULTICHANNEL_MODELS}
PEERS = ("fcnn", "simple_cnn", "complex_cnn", "rnn", "novel_cnn")
#: the architecture eegrecon develops (the shipped default bundle is an instance of it)
FLAGSHIP = "eegrecon_net"


def build_model(name: str, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, **kwargs) -> DenoisingModel:
    """Instantiate the registered architecture ``name``.

    Parameters
    ----------
    name : str
        One of :data:`ALL_MODELS`.
    n_chans : int
        Channels per input (braindecode vocabulary; the networks treat each channel alone).
    n_times : int
        Window length, samples.
    sfreq : float
        Sampling rate, Hz.
    **kwargs
        The architecture's own keyword arguments (see its class).

    Returns
    -------
    DenoisingModel
        An untrained network.
    """
    check_option("model", name, ALL_MODELS, lookup=True)
    return ALL_MODELS[name](n_chans=n_chans, n_times=n_times, sfreq=sfreq, **kwargs)
