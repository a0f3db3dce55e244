"""FCNN peer (EEGdenoiseNet, Zhang et al. 2021): three dense hidden layers of T units."""

from __future__ import annotations

from torch import nn

from eegrecon.models.base import DenoisingModel, fill_doc


@fill_doc
class FCNN(DenoisingModel):
    """Fully connected network: 3 × (Linear T→T, ReLU, Dropout), then Linear T→T.

    Parameters
    ----------
    %(braindecode_params)s
    dropout : float
        Dropout probability after each hidden layer.
    """

    fixed_length = True
    description = "EEGdenoiseNet FCNN: 3 dense layers of T units + dense output (fixed length)"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, dropout: float = 0.3):
        super().__init__(n_chans, n_times, sfreq)
        layers: list[nn.Module] = [nn.Flatten()]
        for _ in range(3):
            layers += [nn.Linear(n_times, n_times), nn.ReLU(), nn.Dropout(dropout)]
        layers.append(nn.Linear(n_times, n_times))
        self.net = nn.Sequential(*layers)

    def denoise_1ch(self, x):
        return self.net(x).unsqueeze(1)
