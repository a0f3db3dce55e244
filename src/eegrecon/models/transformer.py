"""Transformer peer in the spirit of EEGDnet (Pu et al., 2022): self-attention across signal patches."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from eegrecon.models.base import DenoisingModel, fill_doc


def sinusoidal_positions(n: int, dim: int, device=None) -> torch.Tensor:
    """Fixed sinusoidal position codes: any number of patches, so any length.

    Parameters
    ----------
    n : int
        Positions.
    dim : int
        Code size.
    device : torch.device or None
        Where to build them.

    Returns
    -------
    torch.Tensor, shape (n, dim)
        The codes.
    """
    pos = torch.arange(n, device=device, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, dim, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / dim))
    pe = torch.zeros(n, dim, device=device)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe


@fill_doc
class EEGTransformer(DenoisingModel):
    """Non-overlapping patches of ``patch`` samples → linear embedding + sinusoidal positions → ``depth``
    pre-norm transformer encoder layers (global attention between patches = non-local self-similarity;
    the patch embedding and feed-forward = local) → linear projection back to samples. Pads to a whole
    number of patches, so it runs on any length.

    Parameters
    ----------
    %(braindecode_params)s
    patch : int
        Samples per patch (token).
    dim : int
        Embedding size.
    depth : int
        Encoder layers.
    heads : int
        Attention heads.
    ff : int
        Feed-forward size.
    dropout : float
        Dropout probability.
    """

    description = "EEGDnet-style transformer: attention across 16-sample patches (any length)"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, patch: int = 16,
                 dim: int = 64, depth: int = 4, heads: int = 4, ff: int = 128, dropout: float = 0.1):
        super().__init__(n_chans, n_times, sfreq)
        self.patch = patch
        self.embed = nn.Linear(patch, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, ff, dropout, batch_first=True, norm_first=True,
                                           activation="gelu")
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.project = nn.Linear(dim, patch)

    def denoise_1ch(self, x):
        n, _, t = x.shape
        pad = (-t) % self.patch
        h = F.pad(x, (0, pad), mode="reflect" if 0 < pad < t else "constant")
        tokens = h.reshape(n, -1, self.patch)
        z = self.embed(tokens) + sinusoidal_positions(tokens.shape[1], self.embed.out_features, x.device)
        z = self.project(self.norm(self.encoder(z)))
        return z.reshape(n, 1, -1)[..., :t]
