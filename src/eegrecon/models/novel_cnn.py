"""Novel CNN peer (Zhang et al., ICASSP 2021, for EMG removal)."""

from __future__ import annotations

from torch import nn

from eegrecon.models.base import DenoisingModel, fill_doc


@fill_doc
class NovelCNN(DenoisingModel):
    """7 blocks of two conv(k3)+ReLU with filters doubling 32→2048, max-pool by 2 after each of the first six,
    flatten, Linear → T.

    Parameters
    ----------
    %(braindecode_params)s
    width : float
        Scales the filter counts (1.0 = the published model).
    """

    fixed_length = True
    description = "Novel CNN (ICASSP 2021): 7 conv blocks 32→2048 filters with pooling, dense output"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, width: float = 1.0):
        super().__init__(n_chans, n_times, sfreq)
        layers: list[nn.Module] = []
        c_in, length = 1, n_times
        for i in range(7):
            c = max(4, int(round(32 * 2 ** i * width)))
            layers += [nn.Conv1d(c_in, c, 3, padding=1), nn.ReLU(), nn.Conv1d(c, c, 3, padding=1), nn.ReLU()]
            if i < 6:
                layers.append(nn.MaxPool1d(2))
                length //= 2
            c_in = c
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(c_in * length, n_times))
        # 14 ReLU convs without normalisation: He initialisation keeps the activations from vanishing
        # (with PyTorch's default init the deep stack starts at, and stays at, an all-zero output)
        for m in self.features:
            if isinstance(m, nn.Conv1d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def denoise_1ch(self, x):
        return self.head(self.features(x)).unsqueeze(1)
