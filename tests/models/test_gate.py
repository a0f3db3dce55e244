"""The artifact gate: closed returns the input bit for bit, open subtracts the whole artifact, it is trained
towards where the artifact is, and the Denoiser keeps the exactness end to end."""

import numpy as np
import pytest
import torch

from eegrecon import Denoiser
from eegrecon.models import build_model
from eegrecon.models.gate import gate_loss, gate_targets, hard_gate
from eegrecon.models.neural import NeuralMethod


def _gated(bias: float | None = None, seed: int = 0):
    torch.manual_seed(seed)
    net = build_model("eegrecon_net", width=8, context=16, gated=True).eval()
    if bias is not None:  # force the gate: weights 0, bias ±10 → logits ±10 everywhere
        torch.nn.init.zeros_(net.gate_head.weight)
        torch.nn.init.constant_(net.gate_head.bias, bias)
    return net


def test_hard_gate_reaches_exactly_zero_and_one():
    g = hard_gate(torch.tensor([-10.0, -2.5, 0.0, 2.5, 10.0]))
    assert g[0] == 0.0 and g[1] == 0.0 and g[-1] == 1.0 and g[-2] == 1.0 and 0 < g[2] < 1


def test_closed_gate_returns_the_input_bit_for_bit():
    net = _gated(bias=-10.0)
    x = torch.randn(7, 1, 512)
    with torch.no_grad():
        y = net(x)
    assert torch.equal(y, x)
    assert torch.count_nonzero(net.artifact_map(x)) == 0


def test_open_gate_subtracts_the_whole_artifact():
    closed, opened = _gated(bias=-10.0), _gated(bias=10.0)
    ungated = build_model("eegrecon_net", width=8, context=16)
    ungated.load_state_dict({k: v for k, v in opened.state_dict().items() if not k.startswith("gate_head")})
    x = torch.randn(3, 1, 512)
    with torch.no_grad():
        torch.testing.assert_close(opened(x), ungated.eval()(x))
        assert not torch.equal(opened(x), closed(x))


def test_gate_targets_mark_where_the_artifact_is():
    clean = torch.randn(2, 1, 512)
    noisy = clean.clone()
    noisy[1, 0, 200:300] += 5.0  # a step of artifact in the second window only
    t = gate_targets(noisy, clean)
    assert t[0].sum() == 0 and t[1, 0, 240:260].min() == 1 and t[1, 0, :100].max() == 0


def test_gate_learns_to_close_on_clean_and_open_on_artifact():
    torch.manual_seed(0)
    net = _gated().train()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    clean = torch.randn(32, 1, 512)
    noisy = clean.clone()
    noisy[16:] += 3.0 * torch.sin(torch.linspace(0, 6.28, 512))  # slow artifact on half the batch
    for _ in range(150):
        loss = torch.nn.functional.mse_loss(net(noisy), clean) + gate_loss(net.last_gate_logits, noisy, clean)
        opt.zero_grad()
        loss.backward()
        opt.step()
    gate = net.eval().artifact_map(noisy)
    assert gate[:16].mean() < 0.1 and gate[16:].mean() > 0.9


def test_gradients_reach_every_parameter_with_the_gate_loss():
    net = _gated().train()
    clean = torch.randn(4, 1, 512)
    noisy = clean + torch.randn(4, 1, 512)
    loss = ((net(noisy) - clean) ** 2).mean() + gate_loss(net.last_gate_logits, noisy, clean)
    loss.backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in net.parameters())


@pytest.mark.parametrize("sfreq", [256.0, 500.0])
def test_denoiser_with_closed_gate_returns_the_input_exactly(sfreq):
    method = NeuralMethod(_gated(bias=-10.0), name="closed")
    x = np.random.default_rng(0).standard_normal((3, int(sfreq * 11))) * 20
    y = Denoiser(method, line_freq=None, precision="float32").fit().transform(x, sfreq=sfreq)
    np.testing.assert_array_equal(y, x)


def test_gated_model_round_trips_through_a_checkpoint(tmp_path):
    from eegrecon.models.checkpoint import save_weights

    net = _gated(seed=3)
    save_weights(tmp_path / "g", net, {"model": "eegrecon_net", "model_kwargs": {"width": 8, "context": 16,
                                                                                  "gated": True},
                                        "sfreq": 256.0, "n_times": 512})
    back = NeuralMethod.from_checkpoint(tmp_path / "g").model
    x = torch.randn(2, 1, 512)
    with torch.no_grad():
        assert torch.equal(back(x), net(x))


def test_closed_gate_returns_the_input_bit_for_bit_in_bf16():
    net = _gated(bias=-10.0)
    x = torch.randn(7, 1, 512)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        y = net(x)
        gate = net.artifact_map(x)
    assert y.dtype == x.dtype and torch.equal(y, x)
    assert torch.count_nonzero(gate) == 0
