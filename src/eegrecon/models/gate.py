"""Do no harm: an artifact gate that decides, per sample, how much of a predicted artifact is subtracted.

A gated network predicts two things from the same features: the artifact ``a(t)`` and a gate ``g(t)`` in
[0, 1] (how much of the signal at t is artifact worth removing). The output is ``x − g·a``. The gate is a
*hard* sigmoid: it reaches exactly 0 (and exactly 1), so where the network sees no artifact the output is the
input bit for bit, not approximately. The gate is what users look at first: an artifact map per channel and
time (:meth:`~eegrecon.models.eegrecon_net.EEGReconNet.artifact_map`).

Training supervises the gate with where the artifact actually is (:func:`gate_targets`) on top of the
reconstruction loss (:func:`gate_loss`), and clean windows in the training mixture teach it to close.
Shared by the single-channel flagship and the multichannel model.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

#: the stretch of the hard sigmoid: g = clamp((1 + 2s)·σ(l) − s, 0, 1) is exactly 0 for σ(l) < s / (1 + 2s)
GATE_STRETCH = 0.1


def hard_gate(logits: torch.Tensor) -> torch.Tensor:
    """Gate values in [0, 1] from logits, exactly 0 and 1 in the tails (a stretched, clamped sigmoid).

    Parameters
    ----------
    logits : torch.Tensor
        Any shape.

    Returns
    -------
    torch.Tensor
        Same shape; 0 where ``logits`` < −log(1 + 1/s) ≈ −2.4, 1 where > 2.4.
    """
    return torch.clamp((1 + 2 * GATE_STRETCH) * torch.sigmoid(logits) - GATE_STRETCH, 0.0, 1.0)


def apply_gate(x: torch.Tensor, artifact: torch.Tensor, gate: torch.Tensor) -> torch.Tensor:
    """``x − gate·artifact``: where the gate is 0 the input is returned exactly.

    Parameters
    ----------
    x, artifact, gate : torch.Tensor, shape (N, 1, T)
        Input, predicted artifact, gate.

    Returns
    -------
    torch.Tensor, shape (N, 1, T)
        The cleaned signal.
    """
    return torch.where(gate > 0, x - gate * artifact, x)


def upsample_gate(logits: torch.Tensor, n_times: int) -> torch.Tensor:
    """Gate logits computed at a lower rate → one per sample (linear interpolation).

    Parameters
    ----------
    logits : torch.Tensor, shape (N, 1, L)
        Low-rate logits.
    n_times : int
        Samples wanted.

    Returns
    -------
    torch.Tensor, shape (N, 1, n_times)
        Logits per sample.
    """
    return F.interpolate(logits, size=n_times, mode="linear", align_corners=False)


def gate_targets(noisy: torch.Tensor, clean: torch.Tensor, window: int = 64, threshold: float = 0.25
                 ) -> torch.Tensor:
    """Where a window holds artifact: the artifact's moving RMS (``window`` samples) above ``threshold`` × the
    clean window's RMS.

    Parameters
    ----------
    noisy, clean : torch.Tensor, shape (N, 1, T)
        Training pair (normalised).
    window : int
        Moving-RMS length, samples (64 = 0.25 s at 256 Hz).
    threshold : float
        Fraction of the clean RMS that counts as artifact.

    Returns
    -------
    torch.Tensor, shape (N, 1, T)
        1.0 where there is artifact, else 0.0.
    """
    art = (noisy - clean) ** 2
    env = F.avg_pool1d(art, window, stride=1, padding=window // 2, count_include_pad=False)[..., : art.shape[-1]]
    ref = clean.pow(2).mean(-1, keepdim=True).clamp_min(1e-12)
    return (env > threshold ** 2 * ref).to(noisy.dtype)


def gate_loss(logits: torch.Tensor, noisy: torch.Tensor, clean: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of the gate's logits against :func:`gate_targets`.

    Parameters
    ----------
    logits : torch.Tensor, shape (N, 1, T)
        Gate logits per sample.
    noisy, clean : torch.Tensor, shape (N, 1, T)
        Training pair.

    Returns
    -------
    torch.Tensor
        Scalar loss.
    """
    return F.binary_cross_entropy_with_logits(logits, gate_targets(noisy, clean))
