"""EEGReconNet, eegrecon's own model: small, fast on CPU and length-agnostic.

Design (each choice measured, see docs/models.md):
- predicts the *artifact* and subtracts it from the input (residual learning: at low SNR the artifact is
  most of the signal, and an input with nothing to remove passes through when the predicted artifact is 0);
- a learned stride-4 filterbank encoder and a transposed-conv decoder (as in Conv-TasNet) instead of a
  full-rate stem: every layer then runs on ≤ 1/4 of the samples, which is what makes it fast on a CPU;
- two rates: ``width`` channels at 1/4 rate keep muscle (EMG) detail up to the Nyquist frequency, and a
  second stride-4 stage at 1/16 rate runs dilated depthwise-separable blocks whose receptive field spans the
  whole 2-s window (blinks and saccades are long, smooth events that must be told apart from delta activity);
- channel counts are chosen to stay under oneDNN's slow paths on 2 cores (64 channels at 1/16 rate halves the speed).
"""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F
from torch import nn

from eegrecon.models.autocast import cpu_autocast, like
from eegrecon.models.base import DenoisingModel, fill_doc
from eegrecon.models.gate import apply_gate, hard_gate, upsample_gate
from eegrecon.models.transposed_conv import MatmulConvTranspose1d


def exporting() -> bool:
    """Whether torch.export, TorchScript tracing or the ONNX exporter is tracing the model (they need plain ops)."""
    compiling = getattr(getattr(torch, "compiler", None), "is_compiling", None)  # torch >= 2.3
    return bool((compiling is not None and compiling()) or torch.jit.is_tracing() or torch.onnx.is_in_onnx_export())


@functools.cache
@torch.autocast("cpu", enabled=False)  # the first call may come from inside an autocast region
def fused_ops_available(dtype: torch.dtype = torch.float32) -> bool:
    """Whether this torch build has oneDNN's fused linear + pointwise ops for ``dtype`` tensors, giving the plain
    ops' float32 result (to 1e-5 in float32, to bf16 rounding in bfloat16). CPU builds with mkldnn have them.

    They are what torch.compile itself uses on CPU; :meth:`SeparableBlock.forward_nlc` falls back to plain
    matmuls where they are missing or give a different result. In bfloat16 they are what makes bf16 inference pay
    (:meth:`EEGReconNet.bf16_inference`): autocast does not reach them.

    Parameters
    ----------
    dtype : torch.dtype
        ``torch.float32`` or ``torch.bfloat16``.
    """
    if not torch.backends.mkldnn.is_available():
        return False
    tol = 1e-5 if dtype == torch.float32 else 0.05
    try:
        gen = torch.Generator().manual_seed(0)
        x, w, b = (torch.randn(*shape, generator=gen) for shape in ((6, 4), (8, 4), (8,)))
        w2, b2, r = (torch.randn(*shape, generator=gen) for shape in ((4, 8), (4,), (6, 4)))
        hidden = torch.ops.mkldnn._linear_pointwise(x.to(dtype), w.to(dtype), b.to(dtype), "gelu", [], "none")
        y = torch.ops.mkldnn._linear_pointwise.binary(hidden, r.to(dtype), w2.to(dtype), b2.to(dtype), "add")
        expected = r + F.linear(F.gelu(F.linear(x, w, b)), w2, b2)
        return y.dtype == dtype and bool(torch.allclose(y.float(), expected, rtol=tol, atol=tol))
    except (AttributeError, RuntimeError):
        return False


def use_fused(x: torch.Tensor) -> bool:
    """Whether inference on ``x`` can take the fused oneDNN ops (float32 or bfloat16 where
    :func:`fused_ops_available`; no autocast; not being exported).

    Parameters
    ----------
    x : torch.Tensor
        The layer's input.
    """
    # exporting() first: the probe's own ops must not be traced into an exported graph
    if exporting() or cpu_autocast() is not None:
        return False
    return x.dtype in (torch.float32, torch.bfloat16) and fused_ops_available(x.dtype)


def residual_mlp(h: torch.Tensor, fc1: nn.Linear, fc2: nn.Linear, residual: torch.Tensor) -> torch.Tensor:
    """``residual + fc2(GELU(fc1(h)))`` with oneDNN adding the bias, the GELU and the residual inside the matmuls:
    no extra pass over the hidden activations and no fresh buffer for each step (~2.6× faster per layer pair on
    2 cores). Only where :func:`use_fused` holds.

    Parameters
    ----------
    h : torch.Tensor, shape (rows, in)
    fc1, fc2 : nn.Linear
        in → hidden → out.
    residual : torch.Tensor, shape (rows, out)

    Returns
    -------
    torch.Tensor, shape (rows, out)
    """
    w1, b1, w2, b2 = (like(t, h) for t in (fc1.weight, fc1.bias, fc2.weight, fc2.bias))
    hidden = torch.ops.mkldnn._linear_pointwise(h, w1, b1, "gelu", [], "none")
    return torch.ops.mkldnn._linear_pointwise.binary(hidden, residual, w2, b2, "add")


class SeparableBlock(nn.Module):
    """Residual block: depthwise conv (kernel k, dilation d) → BN → pointwise expand → GELU → pointwise project.

    Parameters
    ----------
    channels : int
        Channels in and out.
    kernel : int
        Depthwise kernel, samples.
    dilation : int
        Depthwise dilation.
    expand : int
        Expansion factor of the pointwise layers.
    """

    def __init__(self, channels: int, kernel: int = 5, dilation: int = 1, expand: int = 2):
        super().__init__()
        self.depthwise = nn.Conv1d(channels, channels, kernel, padding=dilation * (kernel // 2), dilation=dilation,
                                   groups=channels)
        self.norm = nn.BatchNorm1d(channels)
        # pointwise layers as Linear on (N, L, C): oneDNN's 1×1 Conv1d is 3-10× slower on 2 cores at these sizes
        self.pw1 = nn.Linear(channels, expand * channels)
        self.pw2 = nn.Linear(expand * channels, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block.

        Parameters
        ----------
        x : torch.Tensor, shape (N, channels, L)
            Features.

        Returns
        -------
        torch.Tensor, shape (N, channels, L)
            x + block(x).
        """
        if not self.training:
            return self.forward_nlc(x.transpose(1, 2).contiguous()).transpose(1, 2)
        h = self.norm(self.depthwise(x))
        n, c, length = h.shape
        # one 2-D (N·L, C) matmul per pointwise layer: 30 % faster on 2 cores than Linear on a strided 3-D view
        h = h.transpose(1, 2).reshape(n * length, c)
        y = self.pw2(F.gelu(self.pw1(h)))
        return x + y.reshape(n, length, c).transpose(1, 2)

    def forward_nlc(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block to channels-last features; in eval mode without a layout change anywhere.

        The depthwise conv runs as a channels-last 2-D conv with the batch norm folded into it, so its output
        is already the (N·L, C) matrix the pointwise layers need, and the residual is added inside the last
        matmul. Same result as :meth:`forward` to float rounding, ~1.3× faster at inference on 2 cores
        (``benchmarks/models.py --speed-only``).

        Parameters
        ----------
        x : torch.Tensor, shape (N, L, channels), contiguous
            Features.

        Returns
        -------
        torch.Tensor, shape (N, L, channels), contiguous
            x + block(x).
        """
        if self.training:
            return self.forward(x.transpose(1, 2)).transpose(1, 2).contiguous()
        n, length, c = x.shape
        norm, conv = self.norm, self.depthwise
        scale = norm.weight * torch.rsqrt(norm.running_var + norm.eps)
        weight = like((conv.weight * scale[:, None, None]).unsqueeze(2), x)  # (C, 1, 1, k)
        bias = like((conv.bias - norm.running_mean) * scale + norm.bias, x)
        h = _depthwise_nlc(x, weight, bias, conv.dilation[0]).reshape(n * length, c)  # a view when contiguous
        if use_fused(h):
            return residual_mlp(h, self.pw1, self.pw2, x.reshape(n * length, c)).view(n, length, c)
        hidden = F.gelu(F.linear(h, like(self.pw1.weight, h), like(self.pw1.bias, h)))
        y = torch.addmm(x.reshape(n * length, c) + like(self.pw2.bias, x), hidden, like(self.pw2.weight, hidden).t())
        return y.view(n, length, c)


def _depthwise_nlc(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, dilation: int) -> torch.Tensor:
    """Depthwise "same" conv of channels-last features as a channels-last 2-D conv (no layout copy).

    A dilated conv is run as an undilated one over a (L / d, d) grid: sample ``i·d + j`` sits at row ``i``,
    column ``j``, so a kernel along the rows sees every d-th sample. oneDNN's dilated depthwise path is
    5-8× slower than its plain one at d = 4, 8 on 2 cores; the result is identical (zeros pad both ways).

    Parameters
    ----------
    x : torch.Tensor, shape (N, L, C), contiguous
    weight : torch.Tensor, shape (C, 1, 1, k)
    bias : torch.Tensor, shape (C,)
    dilation : int

    Returns
    -------
    torch.Tensor, shape (N, L, C)
    """
    n, length, c = x.shape
    k = weight.shape[-1]
    if dilation == 1 or exporting():  # exporters get the plain op (no shape arithmetic to trace)
        as_nchw = x.view(n, 1, length, c).permute(0, 3, 1, 2)  # (N, C, 1, L) view in channels-last memory
        h = F.conv2d(as_nchw, weight, bias, padding=(0, dilation * (k // 2)), dilation=(1, dilation), groups=c)
        return h.permute(0, 2, 3, 1).reshape(n, length, c)
    extra = (-length) % dilation
    padded = F.pad(x, (0, 0, 0, extra)) if extra else x
    rows = (length + extra) // dilation
    grid = padded.view(n, rows, dilation, c).permute(0, 3, 1, 2)  # (N, C, L / d, d), channels-last memory
    h = F.conv2d(grid, weight.view(c, 1, k, 1), bias, padding=(k // 2, 0), groups=c)
    return h.permute(0, 2, 3, 1).reshape(n, length + extra, c)[:, :length]


def encode_with_gelu(conv: nn.Conv1d, h: torch.Tensor) -> torch.Tensor:
    """``GELU(conv(h))`` for a one-channel input. At inference (``conv`` in eval mode, not being exported) each
    output frame is one row of a matmul on the input's frames, written channels-last.

    Parameters
    ----------
    conv : nn.Conv1d
        One input channel.
    h : torch.Tensor, shape (N, 1, L)

    Returns
    -------
    torch.Tensor, shape (N, out_channels, L_out)
        At inference a transposed view of channels-last memory (what :func:`run_blocks` takes without a copy).
    """
    if conv.training or exporting():
        return F.gelu(conv(h))
    k, stride, pad = conv.kernel_size[0], conv.stride[0], conv.padding[0]
    frames = F.pad(h[:, 0], (pad, pad)).unfold(1, k, stride)  # (N, L_out, k)
    n, length, _ = frames.shape
    rows = frames.reshape(n * length, k)
    weight, bias = like(conv.weight.view(conv.out_channels, k), rows), like(conv.bias, rows)
    if use_fused(rows):
        out = torch.ops.mkldnn._linear_pointwise(rows, weight, bias, "gelu", [], "none")
    else:
        out = F.gelu(F.linear(rows, weight, bias))
    return out.view(n, length, -1).transpose(1, 2)


def strided_conv(conv: nn.Conv1d, x: torch.Tensor) -> torch.Tensor:
    """``conv(x)`` for a conv whose stride equals its kernel (no padding). At inference (eval mode, not being
    exported) one matmul on groups of ``k`` channels-last frames.

    Parameters
    ----------
    conv : nn.Conv1d
        Kernel = stride, no padding.
    x : torch.Tensor, shape (N, C, L), L a multiple of the kernel
        Best a transposed view of channels-last memory (else one copy at inference).

    Returns
    -------
    torch.Tensor, shape (N, out_channels, L / k)
        At inference a transposed view of channels-last memory.
    """
    if conv.training or exporting():
        return conv(x)
    k = conv.kernel_size[0]
    nlc = x.transpose(1, 2).contiguous()
    n, length, c = nlc.shape
    weight = conv.weight.permute(0, 2, 1).reshape(conv.out_channels, k * c)  # columns ordered (tap, channel)
    return F.linear(nlc.reshape(n, length // k, k * c), like(weight, x), like(conv.bias, x)).transpose(1, 2)


def pointwise_conv(conv: nn.Conv1d, x: torch.Tensor) -> torch.Tensor:
    """A 1×1 ``conv(x)``; at inference (eval mode, not being exported) a matmul on channels-last features.

    Parameters
    ----------
    conv : nn.Conv1d
        Kernel 1.
    x : torch.Tensor, shape (N, C, L)
        Best a transposed view of channels-last memory.

    Returns
    -------
    torch.Tensor, shape (N, out_channels, L)
    """
    if conv.training or exporting():
        return conv(x)
    return F.linear(x.transpose(1, 2), like(conv.weight[..., 0], x), like(conv.bias, x)).transpose(1, 2)


def run_blocks(blocks: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
    """Apply a chain of :class:`SeparableBlock`, channels-last throughout at inference.

    Parameters
    ----------
    blocks : nn.Sequential of SeparableBlock
        The chain.
    x : torch.Tensor, shape (N, channels, L)
        Features.

    Returns
    -------
    torch.Tensor, shape (N, channels, L)
        The chain's output (at inference a transposed view of channels-last memory).
    """
    if blocks.training:
        return blocks(x)
    h = x.transpose(1, 2).contiguous()
    for block in blocks:
        h = block.forward_nlc(h)
    return h.transpose(1, 2)


@fill_doc
class EEGReconNet(DenoisingModel):
    """Artifact-predicting two-rate separable-conv network; any length (pads to a multiple of 16).

    Shapes: (batch, n_chans, n_times) → same. ``width`` channels at 1/4 rate, ``context`` channels at 1/16 rate.

    Parameters
    ----------
    %(braindecode_params)s
    width : int
        Channels of the stride-4 learned filterbank (fine path).
    context : int
        Channels of the 1/16-rate context path.
    kernel : int
        Depthwise kernel of every separable block.
    fine_blocks : int
        Separable blocks at 1/4 rate.
    dilations : tuple of int
        One separable block per dilation at 1/16 rate.
    predict_artifact : bool
        Predict the artifact and subtract it (True) or predict the clean signal directly.
    gated : bool
        Also predict an artifact gate per sample and subtract only ``gate × artifact`` (:mod:`~eegrecon.models.gate`):
        where the gate is closed the output is the input exactly. Needs ``predict_artifact``.
    """

    description = "eegrecon flagship: predicts and subtracts the artifact; two-rate separable convs (any length)"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, width: int = 16,
                 context: int = 48, kernel: int = 5, fine_blocks: int = 2,
                 dilations: tuple[int, ...] = (1, 2, 4, 8), predict_artifact: bool = True, gated: bool = False):
        super().__init__(n_chans, n_times, sfreq)
        if gated and not predict_artifact:
            raise ValueError("a gated EEGReconNet gates its artifact estimate: set predict_artifact=True")
        self.predict_artifact, self.gated = predict_artifact, gated
        self.encoder = nn.Conv1d(1, width, 8, stride=4, padding=2)
        self.fine_in = nn.Sequential(*(SeparableBlock(width, kernel) for _ in range(fine_blocks)))
        self.down = nn.Conv1d(width, context, 4, stride=4)
        self.context = nn.Sequential(*(SeparableBlock(context, kernel, d) for d in dilations))
        self.up = MatmulConvTranspose1d(context, width, 4, 4)
        self.fine_out = nn.Sequential(*(SeparableBlock(width, kernel) for _ in range(fine_blocks)))
        self.decoder = MatmulConvTranspose1d(width, 1, 8, 4, padding=2)
        self.gate_head = nn.Conv1d(width, 1, 1) if gated else None
        self.last_gate_logits: torch.Tensor | None = None  # of the last forward pass (the training loss reads it)

    def _features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, int]:
        t = x.shape[-1]
        h = F.pad(x, (0, (-t) % 16), mode="replicate")  # no branch on the length: exports with a dynamic time axis
        fine = run_blocks(self.fine_in, encode_with_gelu(self.encoder, h))  # channels-last from here at inference
        feats = run_blocks(self.fine_out, fine + self.up(run_blocks(self.context, strided_conv(self.down, fine))))
        return feats, self.decoder(feats)[..., :t], h.shape[-1]

    def gate_logits(self, feats: torch.Tensor, n_padded: int, t: int) -> torch.Tensor:
        """Gate logits per sample from the 1/4-rate features.

        Parameters
        ----------
        feats : torch.Tensor, shape (N, width, n_padded / 4)
            Features before the decoder.
        n_padded : int
            Padded window length, samples.
        t : int
            Window length, samples.

        Returns
        -------
        torch.Tensor, shape (N, 1, t)
            Logits (gate = :func:`~eegrecon.models.gate.hard_gate` of them).
        """
        return upsample_gate(pointwise_conv(self.gate_head, feats), n_padded)[..., :t]

    def bf16_inference(self) -> bool:
        """Whether this forward pass runs in bfloat16 end to end: inference under CPU autocast to bf16, where
        oneDNN's fused ops take bf16 (:func:`fused_ops_available`). Autocast alone does not reach the fused ops,
        and the unfused bf16 path is no faster than float32 here (benchmarks/results/precision.md)."""
        return (not self.training and not exporting() and cpu_autocast() == torch.bfloat16
                and fused_ops_available(torch.bfloat16))

    def _artifact_and_gate(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The decoder's output and (gated models) the gate logits per sample, both in ``x``'s dtype."""
        t = x.shape[-1]
        if not self.bf16_inference():
            feats, out, n_padded = self._features(x)
            return out, (self.gate_logits(feats, n_padded, t) if self.gated else None)
        with torch.autocast("cpu", enabled=False):
            feats, out, n_padded = self._features(x.to(torch.bfloat16))
            logits = self.gate_logits(feats, n_padded, t).to(x.dtype) if self.gated else None
        return out.to(x.dtype), logits

    def denoise_1ch(self, x: torch.Tensor) -> torch.Tensor:
        out, logits = self._artifact_and_gate(x)
        if not self.predict_artifact:
            return out
        if not self.gated:
            return x - out
        self.last_gate_logits = logits
        return apply_gate(x, out, hard_gate(logits))

    @torch.no_grad()
    def artifact_map(self, x: torch.Tensor) -> torch.Tensor:
        """How much of each sample the model treats as artifact: the gate, in [0, 1] (0: left exactly as is).

        Parameters
        ----------
        x : torch.Tensor, shape (batch, n_chans, n_times)
            Normalised windows.

        Returns
        -------
        torch.Tensor, shape (batch, n_chans, n_times)
            The gate (all ones for an ungated model, which corrects everywhere).
        """
        b, c, t = x.shape
        if not self.gated:
            return torch.ones_like(x)
        _, logits = self._artifact_and_gate(x.reshape(b * c, 1, t))
        return hard_gate(logits).reshape(b, c, t)
