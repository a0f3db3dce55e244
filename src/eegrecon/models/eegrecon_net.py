"""EEGReconNet, eegrecon's own model: small, fast on CPU and length-agnostic.

Design (what measured best, see docs/models.md):
- predicts the *artifact* and subtracts it from the input (residual learning: at low SNR the artifact is
  most of the signal, and a clean input passes through untouched when the predicted artifact is zero);
- a multi-resolution encoder–decoder: a full-rate stem keeps muscle (EMG) detail, three stride-2 stages
  bring the sequence to 1/8 rate, where dilated depthwise-separable residual blocks see the whole 2-s
  window (blinks and saccades are long, smooth events that must be told apart from delta activity);
- depthwise-separable convolutions and additive skips keep it at a few tens of thousands of parameters.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import nn

from eegrecon.models.base import DenoisingModel


class SeparableBlock(nn.Module):
    """Residual block: depthwise conv (kernel k, dilation d) → pointwise expand → GELU → pointwise project."""

    def __init__(self, channels: int, kernel: int = 5, dilation: int = 1, expand: int = 2):
        super().__init__()
        self.depthwise = nn.Conv1d(channels, channels, kernel, padding=dilation * (kernel // 2), dilation=dilation,
                                   groups=channels)
        self.norm = nn.BatchNorm1d(channels)
        self.pw1 = nn.Conv1d(channels, expand * channels, 1)
        self.pw2 = nn.Conv1d(expand * channels, channels, 1)

    def forward(self, x):
        return x + self.pw2(F.gelu(self.pw1(self.norm(self.depthwise(x)))))


class EEGReconNet(DenoisingModel):
    """Artifact-predicting multi-resolution separable-conv network (any length; pads to a multiple of 8)."""

    description = "eegrecon flagship: predicts and subtracts the artifact; separable multi-rate convs (any length)"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0,
                 channels: tuple[int, int, int, int] = (16, 24, 32, 48), kernel: int = 5,
                 dilations: tuple[int, ...] = (1, 2, 4, 8), predict_artifact: bool = True):
        super().__init__(n_chans, n_times, sfreq)
        c0, c1, c2, c3 = channels
        self.predict_artifact = predict_artifact
        self.stem = nn.Sequential(nn.Conv1d(1, c0, 7, padding=3), nn.GELU(), SeparableBlock(c0, kernel))
        self.down1 = nn.Sequential(nn.Conv1d(c0, c1, 4, stride=2, padding=1), SeparableBlock(c1, kernel))
        self.down2 = nn.Sequential(nn.Conv1d(c1, c2, 4, stride=2, padding=1), SeparableBlock(c2, kernel))
        self.down3 = nn.Sequential(nn.Conv1d(c2, c3, 4, stride=2, padding=1))
        self.context = nn.Sequential(*(SeparableBlock(c3, kernel, d) for d in dilations))
        self.up3 = nn.ConvTranspose1d(c3, c2, 4, stride=2, padding=1)
        self.dec2 = SeparableBlock(c2, kernel)
        self.up2 = nn.ConvTranspose1d(c2, c1, 4, stride=2, padding=1)
        self.dec1 = SeparableBlock(c1, kernel)
        self.up1 = nn.ConvTranspose1d(c1, c0, 4, stride=2, padding=1)
        self.dec0 = SeparableBlock(c0, kernel)
        self.head = nn.Conv1d(c0, 1, 1)

    def denoise_1ch(self, x):
        t = x.shape[-1]
        pad = (-t) % 8
        h0 = self.stem(F.pad(x, (0, pad), mode="reflect" if 0 < pad < t else "constant"))
        h1 = self.down1(h0)
        h2 = self.down2(h1)
        h3 = self.context(self.down3(h2))
        d2 = self.dec2(self.up3(h3) + h2)
        d1 = self.dec1(self.up2(d2) + h1)
        d0 = self.dec0(self.up1(d1) + h0)
        out = self.head(d0)[..., :t]
        return x - out if self.predict_artifact else out
