"""Complex CNN peer (EEGdenoiseNet): three parallel residual branches with kernels 3, 5 and 7."""

from __future__ import annotations

import torch
from torch import nn

from eegrecon.models.base import DenoisingModel, fill_doc


class _ResBlock(nn.Module):
    """conv 32→16 (k) + BN + ReLU, conv 16→32 (k) + BN + ReLU, plus the input."""

    def __init__(self, channels: int, kernel: int):
        super().__init__()
        pad = kernel // 2
        self.body = nn.Sequential(
            nn.Conv1d(channels, channels // 2, kernel, padding=pad), nn.BatchNorm1d(channels // 2), nn.ReLU(),
            nn.Conv1d(channels // 2, channels, kernel, padding=pad), nn.BatchNorm1d(channels), nn.ReLU())

    def forward(self, x):
        return x + self.body(x)


@fill_doc
class ComplexCNN(DenoisingModel):
    """Complex CNN of EEGdenoiseNet: conv(32, k5)+BN+ReLU; branches k = 3, 5, 7 of two residual blocks each;
    concatenate (96 channels); 1×1 conv to 32; flatten; Linear 32·T → T (about 8.4 M parameters at T = 512).

    Parameters
    ----------
    %(braindecode_params)s
    channels : int
        Filters of the stem and of each branch.
    """

    fixed_length = True
    description = "EEGdenoiseNet Complex CNN: 3 residual branches (k3/k5/k7), dense output (fixed length)"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, channels: int = 32):
        super().__init__(n_chans, n_times, sfreq)
        self.stem = nn.Sequential(nn.Conv1d(1, channels, 5, padding=2), nn.BatchNorm1d(channels), nn.ReLU())
        self.branches = nn.ModuleList(
            nn.Sequential(_ResBlock(channels, k), _ResBlock(channels, k)) for k in (3, 5, 7))
        self.merge = nn.Sequential(nn.Conv1d(3 * channels, channels, 1), nn.BatchNorm1d(channels), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(channels * n_times, n_times))

    def denoise_1ch(self, x):
        h = self.stem(x)
        h = self.merge(torch.cat([b(h) for b in self.branches], dim=1))
        return self.head(h).unsqueeze(1)
