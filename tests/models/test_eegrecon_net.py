"""EEGReconNet's channels-last inference path computes what the training-time path computes."""

import pytest
import torch

from eegrecon.models import eegrecon_net
from eegrecon.models.eegrecon_net import EEGReconNet, SeparableBlock, run_blocks
from eegrecon.models.gate import apply_gate, hard_gate, upsample_gate


def _randomise_norms(model: torch.nn.Module) -> None:
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm1d):
            module.running_mean.normal_()
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.normal_(1.0, 0.2)
            module.bias.data.normal_(0.0, 0.2)


def _eval_net(seed: int) -> EEGReconNet:
    """A gated network with non-trivial batch-norm statistics, in eval mode."""
    torch.manual_seed(seed)
    net = EEGReconNet(gated=True)
    _randomise_norms(net)
    return net.eval()


def _reference_path(block: SeparableBlock, x: torch.Tensor) -> torch.Tensor:
    """The training-time computation with the batch norm's running statistics (what eval mode must equal)."""
    h = torch.nn.functional.batch_norm(block.depthwise(x), block.norm.running_mean, block.norm.running_var,
                                       block.norm.weight, block.norm.bias, False, 0.0, block.norm.eps)
    n, c, length = h.shape
    y = block.pw2(torch.nn.functional.gelu(block.pw1(h.transpose(1, 2).reshape(n * length, c))))
    return x + y.reshape(n, length, c).transpose(1, 2)


@pytest.mark.parametrize("dilation", [1, 2, 4, 8])
@pytest.mark.parametrize("length", [40, 43])  # 43: the dilated conv's (L / d, d) grid needs padding
def test_block_inference_equals_reference_path(dilation, length):
    torch.manual_seed(0)
    block = SeparableBlock(12, kernel=5, dilation=dilation)
    _randomise_norms(block)
    block.eval()
    x = torch.randn(3, 12, length)
    with torch.no_grad():
        fast = block(x)
        nlc = block.forward_nlc(x.transpose(1, 2).contiguous()).transpose(1, 2)
        expected = _reference_path(block, x)
    torch.testing.assert_close(fast, expected, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(nlc, expected, atol=1e-5, rtol=1e-5)


def test_block_training_mode_uses_batch_statistics():
    torch.manual_seed(1)
    block = SeparableBlock(8)
    _randomise_norms(block)
    x = torch.randn(4, 8, 32) * 3 + 1
    block.train()
    out = block(x)
    # batch statistics, not the running ones: differs from the eval-mode result, and the running mean moves
    block.eval()
    assert not torch.allclose(out, block(x), atol=1e-3)
    out.sum().backward()
    assert all(p.grad is not None for p in block.parameters())


def test_network_inference_equals_block_by_block_reference():
    net = _eval_net(2)
    x = torch.randn(5, 2, 300)
    with torch.no_grad():
        out = net(x)
        # rebuild the forward pass from the reference block computation
        h = torch.nn.functional.pad(x.reshape(10, 1, 300), (0, 4), mode="replicate")

        def chain(blocks, z):
            for block in blocks:
                z = _reference_path(block, z)
            return z

        fine = chain(net.fine_in, torch.nn.functional.gelu(net.encoder(h)))
        feats = chain(net.fine_out, fine + net.up(chain(net.context, net.down(fine))))
        artifact = net.decoder(feats)[..., :300]
        gate = upsample_gate(net.gate_head(feats), 304)[..., :300]

    expected = apply_gate(x.reshape(10, 1, 300), artifact, hard_gate(gate)).reshape(5, 2, 300)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=1e-5)


def test_run_blocks_follows_training_mode():
    blocks = torch.nn.Sequential(SeparableBlock(4), SeparableBlock(4))
    x = torch.randn(2, 4, 16)
    blocks.train()
    torch.testing.assert_close(run_blocks(blocks, x), blocks(x))


def test_inference_fast_path_equals_the_plain_ops_exporters_get(monkeypatch):
    """The fused oneDNN matmuls, the folded dilated convs and the channels-last encoder/down matmuls (taken here:
    this build has oneDNN) give what the plain ops give (what torch.export and ONNX trace)."""
    net = _eval_net(3)
    x = torch.randn(4, 1, 700)
    assert eegrecon_net.fused_ops_available(torch.float32) == torch.backends.mkldnn.is_available()
    with torch.no_grad():
        fast = net(x)
        monkeypatch.setattr(eegrecon_net, "exporting", lambda: True)
        plain = net(x)
    torch.testing.assert_close(fast, plain, atol=1e-5, rtol=1e-5)


@pytest.mark.skipif(not eegrecon_net.fused_ops_available(torch.bfloat16),
                    reason="this torch build has no bf16 fused oneDNN ops")
def test_bf16_autocast_runs_the_whole_network_in_bf16_close_to_float32():
    """Under bf16 autocast at inference the network runs in bfloat16 on the fused ops (autocast does not reach
    them); the result stays within bf16 rounding of float32 and comes back in the caller's float32."""
    net = _eval_net(4)
    x = torch.randn(6, 1, 512)
    with torch.no_grad():
        full = net(x)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            assert net.bf16_inference()
            half = net(x)
        net.train()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            assert not net.bf16_inference()  # training keeps autocast's own mixed precision
    assert half.dtype == torch.float32
    assert not torch.equal(half, full)  # it did run in bf16
    err = (half - full).abs()
    assert err.max() < 0.05 * full.abs().max() and err.mean() < 0.01 * full.abs().mean()


def test_probes_answer_the_same_inside_an_autocast_region():
    eegrecon_net.fused_ops_available.cache_clear()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        inside = [eegrecon_net.fused_ops_available(dtype) for dtype in (torch.float32, torch.bfloat16)]
    eegrecon_net.fused_ops_available.cache_clear()
    assert inside == [eegrecon_net.fused_ops_available(dtype) for dtype in (torch.float32, torch.bfloat16)]
    assert inside[0] == torch.backends.mkldnn.is_available()
