"""Reconstruction losses on (batch, n_chans, n_times) tensors, by name."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from eegrecon.options import check_option


def mse(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error.

    Parameters
    ----------
    pred, target : torch.Tensor, shape (batch, n_chans, n_times)
        Prediction and clean target.

    Returns
    -------
    torch.Tensor
        Scalar loss.
    """
    return F.mse_loss(pred, target)


def l1(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean absolute error.

    Parameters
    ----------
    pred, target : torch.Tensor, shape (batch, n_chans, n_times)
        Prediction and clean target.

    Returns
    -------
    torch.Tensor
        Scalar loss.
    """
    return F.l1_loss(pred, target)


def _stft_mag(x: torch.Tensor, n_fft: int, hop: int) -> torch.Tensor:
    flat = x.reshape(-1, x.shape[-1])
    n_fft = min(n_fft, flat.shape[-1])
    window = torch.hann_window(n_fft, device=x.device, dtype=x.dtype)
    return torch.stft(flat, n_fft, hop_length=min(hop, n_fft), window=window, center=True, return_complex=True).abs()


def spectral(pred: torch.Tensor, target: torch.Tensor, n_fft: int = 64, hop: int = 16,
             eps: float = 1e-3) -> torch.Tensor:
    """L1 distance of log-magnitude STFTs (Hann, ``n_fft`` samples, hop ``hop``): a scale-aware spectral loss
    that weights quiet frequency bands as much as loud ones.

    Parameters
    ----------
    pred, target : torch.Tensor, shape (batch, n_chans, n_times)
        Prediction and clean target.
    n_fft : int
        STFT window, samples.
    hop : int
        STFT hop, samples.
    eps : float
        Added to magnitudes before the log.

    Returns
    -------
    torch.Tensor
        Scalar loss.
    """
    return F.l1_loss(torch.log(_stft_mag(pred, n_fft, hop) + eps), torch.log(_stft_mag(target, n_fft, hop) + eps))


def time_freq(pred: torch.Tensor, target: torch.Tensor, weight: float = 0.1) -> torch.Tensor:
    """MSE in time plus ``weight`` × the log-STFT spectral loss.

    Parameters
    ----------
    pred, target : torch.Tensor, shape (batch, n_chans, n_times)
        Prediction and clean target.
    weight : float
        Weight of the spectral term.

    Returns
    -------
    torch.Tensor
        Scalar loss.
    """
    return mse(pred, target) + weight * spectral(pred, target)


def neg_cc(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """1 − Pearson correlation per window, averaged (scale-invariant: pairs well with MSE).

    Parameters
    ----------
    pred, target : torch.Tensor, shape (batch, n_chans, n_times)
        Prediction and clean target.

    Returns
    -------
    torch.Tensor
        Scalar loss.
    """
    p = pred - pred.mean(-1, keepdim=True)
    t = target - target.mean(-1, keepdim=True)
    cc = (p * t).sum(-1) / (p.norm(dim=-1) * t.norm(dim=-1) + 1e-8)
    return (1 - cc).mean()


def mse_cc(pred: torch.Tensor, target: torch.Tensor, weight: float = 0.5) -> torch.Tensor:
    """MSE plus ``weight`` × (1 − CC).

    Parameters
    ----------
    pred, target : torch.Tensor, shape (batch, n_chans, n_times)
        Prediction and clean target.
    weight : float
        Weight of the correlation term.

    Returns
    -------
    torch.Tensor
        Scalar loss.
    """
    return mse(pred, target) + weight * neg_cc(pred, target)


LOSSES: dict[str, Callable[..., torch.Tensor]] = {"mse": mse, "l1": l1, "spectral": spectral,
                                                  "time_freq": time_freq, "mse_cc": mse_cc}


def get_loss(name: str, **kwargs) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """The training loss called ``name``.

    Parameters
    ----------
    name : str
        One of :data:`LOSSES`.
    **kwargs
        The loss's own keyword arguments (e.g. ``weight`` of ``mse_cc``).

    Returns
    -------
    callable
        ``loss(prediction, target)`` on (batch, 1, n_times) tensors → scalar tensor.
    """
    check_option("loss", name, LOSSES, lookup=True)
    fn = LOSSES[name]
    return (lambda p, t: fn(p, t, **kwargs)) if kwargs else fn
