"""Shared base for denoising networks: (batch, n_chans, n_times) in, same shape out.

Every network is a single-channel denoiser applied to each channel independently (EEGdenoiseNet's setting);
``n_chans`` only tells the wrapper how to fold channels into the batch.
"""

from __future__ import annotations

import torch
from torch import nn

#: the braindecode arguments every network takes, documented once (see :func:`fill_doc`)
BRAINDECODE_PARAMS = """n_chans : int
    Channels per input; each channel is denoised on its own (EEGdenoiseNet setting).
n_times : int
    Window length, samples.
sfreq : float
    Sampling rate, Hz."""


def fill_doc(cls: type) -> type:
    """Class decorator: replace the line ``%(braindecode_params)s`` of a docstring by :data:`BRAINDECODE_PARAMS`,
    indented like that line (MNE's ``fill_doc`` idea).

    Parameters
    ----------
    cls : type
        The class whose docstring to fill.

    Returns
    -------
    type
        The same class.
    """
    lines = []
    for line in (cls.__doc__ or "").splitlines():
        if line.strip() == "%(braindecode_params)s":
            indent = line[: len(line) - len(line.lstrip())]
            lines.extend(indent + part for part in BRAINDECODE_PARAMS.splitlines())
        else:
            lines.append(line)
    cls.__doc__ = "\n".join(lines)
    return cls


@fill_doc
class DenoisingModel(nn.Module):
    """Base of every network: (batch, n_chans, n_times) in, same shape out.

    Subclasses implement :meth:`denoise_1ch` on (N, 1, T) tensors. Class attributes: ``fixed_length`` (True
    when a dense layer ties the model to ``n_times``) and ``description`` (one line for ``eegrecon models list``).

    Parameters
    ----------
    %(braindecode_params)s
    """

    fixed_length: bool = False
    description: str = ""

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0):
        super().__init__()
        self.n_chans, self.n_times, self.sfreq = n_chans, n_times, sfreq

    def denoise_1ch(self, x: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        """Denoise single-channel windows.

        Parameters
        ----------
        x : torch.Tensor, shape (N, 1, n_times)
            Normalised windows.

        Returns
        -------
        torch.Tensor, shape (N, 1, n_times)
            Clean estimate.
        """
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Fold channels into the batch and denoise each.

        Parameters
        ----------
        x : torch.Tensor, shape (batch, n_chans, n_times)
            Normalised windows.

        Returns
        -------
        torch.Tensor, shape (batch, n_chans, n_times)
            Clean estimate.
        """
        if x.dim() != 3:
            raise ValueError(f"expected (batch, n_chans, n_times), got shape {tuple(x.shape)}")
        b, c, t = x.shape
        if self.fixed_length and t != self.n_times:
            raise ValueError(f"{type(self).__name__} is built for n_times={self.n_times}, got {t}")
        return self.denoise_1ch(x.reshape(b * c, 1, t)).reshape(b, c, t)


def n_parameters(model: nn.Module) -> int:
    """Number of trainable and frozen parameters.

    Parameters
    ----------
    model : torch.nn.Module
        The network.

    Returns
    -------
    int
        Parameter count.
    """
    return sum(p.numel() for p in model.parameters())
