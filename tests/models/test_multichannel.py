"""The multichannel model: any montage, channel order, unknown positions, references, the closed gate."""

import numpy as np
import pytest
import torch

from eegrecon.models.checkpoint import load_weights, save_weights
from eegrecon.models.multichannel_net import REF_KINDS, ChannelAttention, EEGReconMC, SourceSubspace
from eegrecon.signal.montage import positions_from_names

NAMES = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
         "Cz", "Pz"]


def _model(**kw):
    torch.manual_seed(0)
    return EEGReconMC(**kw).eval()


def _pos(n=19):
    return torch.tensor(positions_from_names(NAMES[:n]), dtype=torch.float32)


@pytest.mark.parametrize("sources", [0, 4])
@pytest.mark.parametrize("n_chans", [1, 2, 5, 19, 64])
def test_any_channel_count(n_chans, sources):
    model = _model(sources=sources)
    pos = torch.randn(n_chans, 3) * 0.05
    with torch.no_grad():
        assert model(torch.randn(2, n_chans, 512), pos).shape == (2, n_chans, 512)


@pytest.mark.parametrize("sources", [0, 4])
def test_permuting_channels_permutes_the_output(sources):
    model = _model(sources=sources)
    x, pos = torch.randn(3, 19, 512), _pos()
    refs, kinds = torch.randn(3, 2, 512), torch.tensor([0, 1])
    perm = torch.randperm(19, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        y = model(x, pos, refs, kinds)
        y_perm = model(x[:, perm], pos[perm], refs, kinds)
    torch.testing.assert_close(y[:, perm], y_perm, atol=2e-5, rtol=1e-4)


def test_positions_matter_and_unknown_ones_are_handled():
    model = _model()
    x, pos = torch.randn(2, 19, 512), _pos()
    with torch.no_grad():
        known = model(x, pos)
        moved = model(x, pos.flip(0))  # same signals, other positions
        unknown = pos.clone()
        unknown[3] = float("nan")
        partial = model(x, unknown)
        none = model(x, None)
    assert not torch.allclose(known, moved)
    assert torch.isfinite(partial).all() and torch.isfinite(none).all()
    all_nan = torch.full_like(pos, float("nan"))
    with torch.no_grad():
        torch.testing.assert_close(model(x, all_nan), none)  # every position unknown == no positions


def test_references_are_used():
    model = _model()
    x, pos = torch.randn(2, 19, 512), _pos()
    with torch.no_grad():
        without = model(x, pos)
        with_refs = model(x, pos, torch.randn(2, 1, 512), torch.tensor([REF_KINDS.index("eog")]))
    assert with_refs.shape == without.shape and not torch.allclose(with_refs, without)
    with pytest.raises(ValueError, match="ref_kinds"):
        model(x, pos, torch.randn(2, 1, 512))


@pytest.mark.parametrize("sources", [0, 4])
def test_gradients_reach_every_parameter_with_references_and_unknown_positions(sources):
    model = _model(sources=sources).train()
    pos = _pos()
    pos[0] = float("nan")
    y = model(torch.randn(4, 19, 512), pos, torch.randn(4, 2, 512), torch.tensor([0, 1]))
    (y.square().mean() + model.last_gate_logits.square().mean()).backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None or not p.grad.abs().sum() > 0]
    assert not missing


@pytest.mark.parametrize("sources", [0, 4])
def test_a_closed_gate_returns_the_input_bit_for_bit(sources):
    model = _model(sources=sources)
    with torch.no_grad():
        model.gate_head.weight.zero_()
        model.gate_head.bias.fill_(-10.0)
    x = torch.randn(2, 19, 512) * 3
    with torch.no_grad():
        assert torch.equal(model(x, _pos()), x)
        assert not model.artifact_map(x, _pos()).any()


@pytest.mark.parametrize("sources", [0, 4])
def test_save_load_with_references_identical(tmp_path, sources):
    model = _model(sources=sources)
    save_weights(tmp_path / "mc", model, {"model": "eegrecon_mc"})
    other = EEGReconMC(sources=sources)
    load_weights(tmp_path / "mc", other)
    other.eval()
    x, refs = torch.randn(2, 19, 512), torch.randn(2, 1, 512)
    with torch.no_grad():
        assert torch.equal(model(x, _pos(), refs, torch.tensor([1])), other(x, _pos(), refs, torch.tensor([1])))


def test_predict_joint_applies_the_change_to_float64_input():
    from eegrecon.models.neural import predict_joint

    model = _model()
    with torch.no_grad():
        model.gate_head.bias.fill_(-10.0)
        model.gate_head.weight.zero_()
    w = np.random.default_rng(0).normal(size=(3, 21, 512))
    out = predict_joint(model, w, positions_from_names(NAMES), 19, np.array([0, 1]))
    assert out.dtype == np.float64 and out.shape == (3, 19, 512)
    np.testing.assert_array_equal(out, w[:, :19])


def test_source_subspace_fits_the_topography_of_a_given_source():
    """Material holding the true source course → the fit returns topography ⊗ course, not the brain part."""
    gen = torch.Generator().manual_seed(0)
    n_chans, n_times = 19, 512
    course = torch.cumsum(torch.randn(n_times, generator=gen), 0)
    topography = torch.randn(n_chans, generator=gen)
    brain = torch.randn(2, n_chans, n_times, generator=gen)
    x = brain + 5 * topography[:, None] * course
    material = torch.zeros(2, n_chans + 1, n_times)
    material[:, -1] = course  # the course arrives through a reference signal
    head = SourceSubspace(8, 1)
    with torch.no_grad():
        head.weights.weight.zero_()
        head.weights.bias.fill_(1.0)
        fitted = head(x, material, torch.zeros(2, n_chans + 1, 8))
    truth = (5 * topography[:, None] * course).expand_as(fitted)
    assert fitted.shape == x.shape
    assert (fitted - truth).square().mean() < 0.01 * truth.square().mean()
    # no source material: nothing is fitted
    with torch.no_grad():
        assert head(x, torch.zeros_like(material), torch.zeros(2, n_chans + 1, 8)).abs().max() == 0


def test_channel_attention_inference_path_equals_multihead_attention():
    torch.manual_seed(3)
    block = ChannelAttention(24, 4)
    for p in block.parameters():
        p.data.normal_(0.0, 0.3)
    tokens, where = torch.randn(5, 11, 24), torch.randn(1, 11, 24).expand(5, 11, 24)
    with torch.no_grad():
        trained_path = block.train()(tokens, where)  # no dropout: training mode differs only in the code path
        fused = block.eval()(tokens, where)
        h = block.norm(tokens)
        expected = block.attn(h + where, h + where, h, need_weights=False)[0]
        torch.testing.assert_close(block._attend(h + where, h), expected, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(fused, trained_path, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("sources", [0, 4])
def test_inference_fast_path_equals_the_plain_ops(monkeypatch, sources):
    """Fused oneDNN matmuls and channels-last encoder/down/gate-head matmuls give what the plain ops give."""
    from eegrecon.models import eegrecon_net

    model = _model(sources=sources)
    for module in model.modules():  # trained-looking batch norms, so folding them is exercised
        if isinstance(module, torch.nn.BatchNorm1d):
            module.running_mean.normal_()
            module.running_var.uniform_(0.5, 2.0)
    x, refs = torch.randn(2, 19, 700), torch.randn(2, 1, 700)
    kinds = torch.tensor([REF_KINDS.index("eog")])
    with torch.no_grad():
        fast = model(x, _pos(), refs, kinds)
        monkeypatch.setattr(eegrecon_net, "exporting", lambda: True)  # every fast path asks this one function
        plain = model(x, _pos(), refs, kinds)
    torch.testing.assert_close(fast, plain, atol=1e-5, rtol=1e-5)
