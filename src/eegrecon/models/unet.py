"""1-D U-Net: a classic encoder–decoder with skip connections."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from eegrecon.models.base import DenoisingModel, fill_doc


def _block(c_in: int, c_out: int, kernel: int) -> nn.Sequential:
    pad = kernel // 2
    return nn.Sequential(nn.Conv1d(c_in, c_out, kernel, padding=pad), nn.BatchNorm1d(c_out), nn.GELU(),
                         nn.Conv1d(c_out, c_out, kernel, padding=pad), nn.BatchNorm1d(c_out), nn.GELU())


@fill_doc
class UNet1D(DenoisingModel):
    """Encoder of ``len(channels)`` conv blocks with max-pooling by 2, mirrored decoder with linear
    up-sampling and concatenated skips, 1×1 output conv. Pads to a multiple of 2^depth (any length).

    Parameters
    ----------
    %(braindecode_params)s
    channels : tuple of int
        Channels of each encoder level.
    kernel : int
        Convolution kernel, samples.
    """

    description = "1-D U-Net with skip connections (any length)"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0,
                 channels: tuple[int, ...] = (16, 32, 64, 128), kernel: int = 7):
        super().__init__(n_chans, n_times, sfreq)
        self.channels = tuple(channels)
        self.down = nn.ModuleList()
        c_in = 1
        for c in channels:
            self.down.append(_block(c_in, c, kernel))
            c_in = c
        self.up = nn.ModuleList(_block(channels[i] + channels[i + 1], channels[i], kernel)
                                for i in reversed(range(len(channels) - 1)))
        self.out = nn.Conv1d(channels[0], 1, 1)

    def denoise_1ch(self, x):
        t = x.shape[-1]
        mult = 2 ** (len(self.channels) - 1)
        pad = (-t) % mult
        h = F.pad(x, (0, pad), mode="reflect" if 0 < pad < t else "constant")
        skips = []
        for i, block in enumerate(self.down):
            h = block(h)
            if i < len(self.down) - 1:
                skips.append(h)
                h = F.max_pool1d(h, 2)
        for block in self.up:
            skip = skips.pop()
            h = F.interpolate(h, size=skip.shape[-1], mode="linear", align_corners=False)
            h = block(torch.cat([h, skip], dim=1))
        return self.out(h)[..., :t]
