"""EEGReconMC: a multichannel model that sees every channel, its position on the head and reference channels.

An artifact has a fixed topography (a blink is large at Fp1/Fp2 and small at O1/O2), brain activity does not:
seen together, channels tell a blink from genuine delta, which one channel alone cannot.

Design:
- per channel, the flagship's temporal path (a stride-4 learned filterbank, separable blocks, a 1/32-rate context
  path) with weights shared by all channels;
- at 1/32 rate, attention *across channels* at every time frame, each channel's token carrying an encoding of
  its 3-D position (an MLP of the position on a unit head sphere; a learned vector when the position is unknown);
  reference channels (EOG, ECG) join as extra tokens marked by their kind, so they are used when present;
- no layer depends on the number or order of channels: permuting the inputs permutes the outputs;
- optionally (``sources`` > 0) part of the artifact is a low-rank projection fitted inside each window
  (:class:`SourceSubspace`): the network forms a few source courses from all signals and their topographies come
  from least squares of the input on them, at full rate (attention at 1/32 rate cannot carry a blink's waveform
  from the reference channel to each EEG channel, a regression can);
- each channel's artifact is predicted and subtracted through the shared gate (:mod:`~eegrecon.models.gate`):
  output = x − g·a, with g exactly 0 where the model sees no artifact (the input is returned bit for bit).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from eegrecon.models.base import DenoisingModel, fill_doc
from eegrecon.models.eegrecon_net import (
    SeparableBlock,
    encode_with_gelu,
    pointwise_conv,
    residual_mlp,
    strided_conv,
    use_fused,
)
from eegrecon.models.gate import apply_gate, hard_gate, upsample_gate
from eegrecon.models.transposed_conv import MatmulConvTranspose1d

#: reference-channel kinds the model understands (index = embedding row)
REF_KINDS = ("eog", "ecg")
#: a head sphere in MNE head coordinates (metres): positions are encoded relative to it
HEAD_CENTRE = (0.0, 0.016, 0.045)
HEAD_RADIUS = 0.095


def normalise_positions(pos: torch.Tensor) -> torch.Tensor:
    """Head coordinates (m) → positions on a unit head sphere (NaN rows stay NaN).

    Parameters
    ----------
    pos : torch.Tensor, shape (..., 3)
        Metres, MNE head coordinates.

    Returns
    -------
    torch.Tensor, shape (..., 3)
        ``(pos − HEAD_CENTRE) / HEAD_RADIUS``.
    """
    return (pos - torch.tensor(HEAD_CENTRE, dtype=pos.dtype, device=pos.device)) / HEAD_RADIUS


class ChannelAttention(nn.Module):
    """Pre-norm self-attention across channels plus a feed-forward layer, at each time frame.

    Parameters
    ----------
    dim : int
        Token size.
    heads : int
        Attention heads.
    """

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, tokens: torch.Tensor, where: torch.Tensor) -> torch.Tensor:
        """Mix information across channels.

        Parameters
        ----------
        tokens : torch.Tensor, shape (N, n_tokens, dim)
            One token per channel (N = batch × frames).
        where : torch.Tensor, shape (N or 1, n_tokens, dim)
            Position/kind encoding added to queries and keys.

        Returns
        -------
        torch.Tensor, shape (N, n_tokens, dim)
            Updated tokens.
        """
        h = self.norm(tokens)
        qk = h + where
        mixed = self.attn(qk, qk, h, need_weights=False)[0] if self.training else self._attend(qk, h)
        tokens = tokens + mixed
        if not self.training and use_fused(tokens):
            norm, fc1, _, fc2 = self.ff
            flat = tokens.reshape(-1, tokens.shape[-1])
            return residual_mlp(norm(flat), fc1, fc2, flat).view_as(tokens)
        return tokens + self.ff(tokens)

    def _attend(self, qk: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """``self.attn(qk, qk, h)`` at inference with the query and key projections in one matmul.

        nn.MultiheadAttention projects query, key and value separately unless all three are one tensor; here
        query and key are, so one (N·n_tokens, dim) @ (dim, 2·dim) matmul serves both. Same result to float rounding.
        """
        attn = self.attn
        n, t, dim = qk.shape
        heads = attn.num_heads
        weight, bias = attn.in_proj_weight, attn.in_proj_bias
        q, k = F.linear(qk, weight[:2 * dim], bias[:2 * dim]).view(n, t, 2, heads, dim // heads).permute(2, 0, 3, 1, 4)
        v = F.linear(h, weight[2 * dim:], bias[2 * dim:]).view(n, t, heads, dim // heads).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(n, t, dim)
        return attn.out_proj(out)


class SourceSubspace(nn.Module):
    """The part of the artifact that is a few sources seen through fixed topographies, fitted in the window.

    Source r is a weighted sum over the signals (EEG and reference channels) of the network's per-signal "source
    material", with weights read from each signal's token; the topographies are then the least-squares fit of the
    EEG on the sources (ridge 1e-3 of the mean source power), as EOG regression fits them on reference channels.
    Sums over signals and a per-window fit keep the module channel-permutation equivariant.

    Parameters
    ----------
    dim : int
        Token size.
    n_sources : int
        Sources per window (rank of the projection).
    """

    def __init__(self, dim: int, n_sources: int):
        super().__init__()
        self.weights = nn.Linear(dim, n_sources)

    def forward(self, x: torch.Tensor, material: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """Fitted low-rank artifact.

        Parameters
        ----------
        x : torch.Tensor, shape (batch, n_chans, n_times)
            The EEG the topographies are fitted on.
        material : torch.Tensor, shape (batch, n_signals, n_times)
            Per-signal courses the sources are made of (EEG channels first, then references).
        tokens : torch.Tensor, shape (batch, n_signals, dim)
            One summary per signal.

        Returns
        -------
        torch.Tensor, shape (batch, n_chans, n_times)
            Topographies × sources.
        """
        with torch.autocast(device_type=x.device.type, enabled=False):  # the fit needs float32
            sources = torch.einsum("bkr,bkt->brt", self.weights(tokens.float()), material.float())
            gram = sources @ sources.transpose(1, 2)
            ridge = 1e-3 * gram.diagonal(dim1=1, dim2=2).mean(-1)[:, None, None] + 1e-6
            eye = torch.eye(gram.shape[-1], dtype=gram.dtype, device=gram.device)
            topographies = torch.linalg.solve(gram + ridge * eye, sources @ x.float().transpose(1, 2))  # (b, r, c)
            return (topographies.transpose(1, 2) @ sources).to(x.dtype)


@fill_doc
class EEGReconMC(DenoisingModel):
    """Multichannel artifact-predicting network with channel attention and an artifact gate.

    Shapes: signals (batch, n_chans, n_times), positions (n_chans, 3) or (batch, n_chans, 3) in metres (MNE head
    coordinates; NaN rows = unknown), references (batch, n_refs, n_times) with their kinds (n_refs,) →
    (batch, n_chans, n_times). ``n_chans`` is only a default: any number of channels works.

    Parameters
    ----------
    %(braindecode_params)s
    width : int
        Channels of the stride-4 filterbank (per EEG channel).
    dim : int
        Token size of the low-rate path where channels attend to each other.
    depth : int
        Temporal block + channel attention pairs.
    heads : int
        Attention heads.
    kernel : int
        Depthwise kernel of the separable blocks.
    context_stride : int
        Downsampling from the 1/4-rate path to the rate where channels attend to each other (8: 1/32 of the input
        rate, 16 frames per 2-s window at 256 Hz; the attention's cost grows with the frames).
    sources : int
        Rank of the in-window fitted projection (:class:`SourceSubspace`); 0: none, the artifact is the per-channel
        decoder's alone (the architecture of the first shipped bundles; the current bundle uses 4).
    """

    description = "eegrecon multichannel: per-channel temporal path, attention across channels with 3-D positions"

    def __init__(self, n_chans: int = 19, n_times: int = 512, sfreq: float = 256.0, width: int = 16, dim: int = 48,
                 depth: int = 3, heads: int = 4, kernel: int = 5, context_stride: int = 8, sources: int = 0):
        super().__init__(n_chans, n_times, sfreq)
        self.gated = True
        self.encoder = nn.Conv1d(1, width, 8, stride=4, padding=2)
        self.fine_in = SeparableBlock(width, kernel)
        self.stride = 4 * context_stride
        self.down = nn.Conv1d(width, dim, context_stride, stride=context_stride)
        self.temporal = nn.ModuleList(SeparableBlock(dim, kernel, 2 ** i) for i in range(depth))
        self.spatial = nn.ModuleList(ChannelAttention(dim, heads) for _ in range(depth))
        self.position = nn.Sequential(nn.Linear(3, dim), nn.GELU(), nn.Linear(dim, dim))
        self.unknown_position = nn.Parameter(torch.zeros(dim))
        self.ref_kind = nn.Embedding(len(REF_KINDS), dim)
        self.up = MatmulConvTranspose1d(dim, width, context_stride, context_stride)
        self.fine_out = SeparableBlock(width, kernel)
        self.decoder = MatmulConvTranspose1d(width, 2 if sources else 1, 8, 4, padding=2)
        self.subspace = SourceSubspace(dim, sources) if sources else None
        self.gate_head = nn.Conv1d(width, 1, 1)
        self.last_gate_logits: torch.Tensor | None = None

    def _encodings(self, b: int, c: int, pos: torch.Tensor | None, ref_kinds: torch.Tensor | None,
                   dtype: torch.dtype) -> torch.Tensor:
        """(b, c + n_refs, dim): position encodings of the EEG channels, kind embeddings of the references."""
        dim = self.unknown_position.shape[0]
        if pos is None:
            enc = self.unknown_position.expand(b, c, dim)
        else:
            pos = pos.to(dtype)
            pos = pos.expand(b, c, 3) if pos.dim() == 2 else pos
            known = torch.isfinite(pos).all(dim=-1, keepdim=True)
            safe = torch.where(known, normalise_positions(torch.nan_to_num(pos)), torch.zeros_like(pos))
            enc = torch.where(known, self.position(safe), self.unknown_position.expand(b, c, dim))
        if ref_kinds is not None and len(ref_kinds):
            enc = torch.cat([enc, self.ref_kind(ref_kinds).expand(b, len(ref_kinds), dim)], dim=1)
        return enc

    def _features(self, x: torch.Tensor, pos: torch.Tensor | None, refs: torch.Tensor | None,
                  ref_kinds: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor, int]:
        """Per-signal 1/4-rate features (b·(c + n_refs), width, L) after channel mixing, one token per signal
        (b, c + n_refs, dim; the low-rate path averaged over frames) and the padded length."""
        b, c, t = x.shape
        signals = x if refs is None or refs.shape[1] == 0 else torch.cat([x, refs], dim=1)
        k = signals.shape[1]
        h = F.pad(signals.reshape(b * k, 1, t), (0, (-t) % self.stride), mode="replicate")
        fine = self.fine_in(encode_with_gelu(self.encoder, h))
        ctx = strided_conv(self.down, fine)  # (b·k, dim, frames)
        dim, frames = ctx.shape[1], ctx.shape[2]
        where = self._encodings(b, c, pos, ref_kinds if k > c else None, ctx.dtype)  # (b, k, dim)
        where = where[:, None].expand(b, frames, k, dim).reshape(b * frames, k, dim)
        for temporal, spatial in zip(self.temporal, self.spatial):
            ctx = temporal(ctx)
            tokens = ctx.reshape(b, k, dim, frames).permute(0, 3, 1, 2).reshape(b * frames, k, dim)
            tokens = spatial(tokens, where)
            ctx = tokens.reshape(b, frames, k, dim).permute(0, 2, 3, 1).reshape(b * k, dim, frames)
        summary = ctx.mean(-1).reshape(b, k, dim)
        return self.fine_out(fine + self.up(ctx)), summary, h.shape[-1]

    def forward(self, x: torch.Tensor, pos: torch.Tensor | None = None, refs: torch.Tensor | None = None,
                ref_kinds: torch.Tensor | None = None) -> torch.Tensor:
        """Clean every channel using all of them.

        Parameters
        ----------
        x : torch.Tensor, shape (batch, n_chans, n_times)
            Normalised EEG (one scale for all channels of a window: relative amplitudes carry the topography).
        pos : torch.Tensor, shape (n_chans, 3) or (batch, n_chans, 3), or None
            Positions in metres, MNE head coordinates; NaN rows or None: unknown.
        refs : torch.Tensor, shape (batch, n_refs, n_times), or None
            Reference channels (EOG, ECG), each normalised on its own.
        ref_kinds : torch.Tensor of int, shape (n_refs,), or None
            Index in :data:`REF_KINDS` of each reference.

        Returns
        -------
        torch.Tensor, shape (batch, n_chans, n_times)
            ``x − gate·artifact``.
        """
        if x.dim() != 3:
            raise ValueError(f"expected (batch, n_chans, n_times), got shape {tuple(x.shape)}")
        b, c, t = x.shape
        if refs is not None and (ref_kinds is None or len(ref_kinds) != refs.shape[1]):
            raise ValueError("refs need ref_kinds: one index into REF_KINDS per reference channel")
        feats, summary, n_padded = self._features(x, pos, refs, ref_kinds)
        k = feats.shape[0] // b
        decoded = self.decoder(feats)[..., :t]
        artifact = decoded[:, 0].reshape(b, k, t)[:, :c]
        if self.subspace is not None:
            artifact = artifact + self.subspace(x, decoded[:, 1].reshape(b, k, t), summary)
        logits = upsample_gate(pointwise_conv(self.gate_head, feats), n_padded)[..., :t].reshape(b, k, t)[:, :c]
        self.last_gate_logits = logits
        return apply_gate(x, artifact, hard_gate(logits))

    @torch.no_grad()
    def artifact_map(self, x: torch.Tensor, pos: torch.Tensor | None = None, refs: torch.Tensor | None = None,
                     ref_kinds: torch.Tensor | None = None) -> torch.Tensor:
        """How much of each sample of each channel the model treats as artifact: the gate in [0, 1].

        Parameters
        ----------
        x, pos, refs, ref_kinds
            As for :meth:`forward`.

        Returns
        -------
        torch.Tensor, shape (batch, n_chans, n_times)
            The gate (0: that sample is left exactly as it is).
        """
        self.forward(x, pos, refs, ref_kinds)
        return hard_gate(self.last_gate_logits)
