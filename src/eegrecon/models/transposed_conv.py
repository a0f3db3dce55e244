"""A transposed 1-D convolution computed as one matmul and a shifted sum (fast on CPU, same weights)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from eegrecon.models.autocast import like


class MatmulConvTranspose1d(nn.ConvTranspose1d):
    """:class:`torch.nn.ConvTranspose1d` whose kernel is a multiple of its stride, computed without oneDNN's kernel.

    Same parameters and state dict as ``nn.ConvTranspose1d`` (checkpoints load unchanged) and the same output to
    float rounding; in training mode it is ``nn.ConvTranspose1d``'s own kernel. Why: on CPU, oneDNN's transposed
    convolution with few output channels is slow, above all on the channels-last features
    :func:`~eegrecon.models.eegrecon_net.run_blocks` hands it (0.6 of 1.6 s of the multichannel Denoiser on a minute
    of 64 channels); here every input frame is one row of a ``(N·L, C_in) @ (C_in, K·C_out)`` matmul and the
    ``K / stride`` taps that overlap are summed with shifts.

    Shapes: (N, C_in, L) → (N, C_out, (L − 1)·stride − 2·padding + K), returned as a transposed view of
    channels-last memory at inference (what the next separable block wants).

    Parameters
    ----------
    in_channels, out_channels : int
        Channels in and out.
    kernel_size : int
        Kernel, samples; a multiple of ``stride``.
    stride : int
        Upsampling factor.
    padding : int
        Samples cropped from each end of the full output, as in ``nn.ConvTranspose1d``.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int = 0):
        if kernel_size % stride:
            raise ValueError(f"kernel_size ({kernel_size}) must be a multiple of stride ({stride})")
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=padding)

    def forward(self, x: torch.Tensor, output_size: list[int] | None = None) -> torch.Tensor:
        """Upsample the features.

        Parameters
        ----------
        x : torch.Tensor, shape (N, C_in, L)
            Features.
        output_size : None
            Not supported (``nn.ConvTranspose1d``'s way to pick among output lengths); must be None.

        Returns
        -------
        torch.Tensor, shape (N, C_out, (L − 1)·stride − 2·padding + K)
            The transposed convolution.
        """
        if output_size is not None:
            raise ValueError("MatmulConvTranspose1d does not take output_size")
        if self.training:  # training keeps oneDNN's kernel: no faster here, and earlier runs stay reproducible
            return super().forward(x)
        n, c_in, length = x.shape
        c_out, k, s, p = self.out_channels, self.kernel_size[0], self.stride[0], self.padding[0]
        taps = k // s
        weight = like(self.weight.permute(0, 2, 1).reshape(c_in, k * c_out), x)  # columns: (tap, phase, c_out)
        z = (x.transpose(1, 2).reshape(n * length, c_in) @ weight).view(n, length, taps, s, c_out)
        # tap q of frame l lands on output block l + q
        full = sum(F.pad(z[:, :, q].reshape(n, length * s, c_out), (0, 0, q * s, (taps - 1 - q) * s))
                   for q in range(taps))
        out = full[:, p:full.shape[1] - p] + like(self.bias, x)
        return out.transpose(1, 2)
