"""Shared base for denoising networks: (batch, n_chans, n_times) in, same shape out.

Every network is a single-channel denoiser applied to each channel independently (EEGdenoiseNet's setting);
``n_chans`` only tells the wrapper how to fold channels into the batch.
"""

from __future__ import annotations

import torch
from torch import nn


class DenoisingModel(nn.Module):
    """Subclasses implement :meth:`denoise_1ch` on (N, 1, T) tensors.

    Class attributes: ``fixed_length`` (True when a dense layer ties the model to ``n_times``) and
    ``description`` (one line for ``eegrecon models list``).
    """

    fixed_length: bool = False
    description: str = ""

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0):
        super().__init__()
        self.n_chans, self.n_times, self.sfreq = n_chans, n_times, sfreq

    def denoise_1ch(self, x: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 3:
            raise ValueError(f"expected (batch, n_chans, n_times), got shape {tuple(x.shape)}")
        b, c, t = x.shape
        if self.fixed_length and t != self.n_times:
            raise ValueError(f"{type(self).__name__} is built for n_times={self.n_times}, got {t}")
        return self.denoise_1ch(x.reshape(b * c, 1, t)).reshape(b, c, t)


def n_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
