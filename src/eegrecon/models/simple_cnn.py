"""Simple CNN peer (EEGdenoiseNet): four conv layers then a dense output."""

from __future__ import annotations

from torch import nn

from eegrecon.models.base import DenoisingModel, fill_doc


@fill_doc
class SimpleCNN(DenoisingModel):
    """4 × (Conv1d, kernel 3, BatchNorm, ReLU), flatten, Linear filters·T → T.

    Parameters
    ----------
    %(braindecode_params)s
    filters : int
        Filters of every conv layer (64 in the published model).
    """

    fixed_length = True
    description = "EEGdenoiseNet Simple CNN: 4 conv(64,k3)+BN+ReLU, flatten, dense output (fixed length)"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, filters: int = 64):
        super().__init__(n_chans, n_times, sfreq)
        layers: list[nn.Module] = []
        c_in = 1
        for _ in range(4):
            layers += [nn.Conv1d(c_in, filters, 3, padding=1), nn.BatchNorm1d(filters), nn.ReLU()]
            c_in = filters
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(filters * n_times, n_times))

    def denoise_1ch(self, x):
        return self.head(self.features(x)).unsqueeze(1)
