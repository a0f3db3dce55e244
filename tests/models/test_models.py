"""Every registered model (single- and multichannel): shape, gradients, overfitting one batch, save → load."""

import numpy as np
import pytest
import torch

from eegrecon.models import ALL_MODELS, FLAGSHIP, MULTICHANNEL_MODELS, build_model
from eegrecon.models.checkpoint import load_weights, save_weights

SMALL = {"novel_cnn": {"width": 0.25}}  # the published width (33 M parameters) is exercised in the benchmark


def _model(name, **kw):
    torch.manual_seed(0)
    return build_model(name, n_chans=3, n_times=512, sfreq=256.0, **{**SMALL.get(name, {}), **kw})


def _every_input(model, x):
    """The forward pass with every optional input a multichannel model takes (positions, one unknown; a reference),
    so that every parameter is used."""
    if name_of(model) not in MULTICHANNEL_MODELS:
        return model(x)
    pos = torch.randn(x.shape[1], 3) * 0.05
    pos[0] = float("nan")
    return model(x, pos, torch.randn(x.shape[0], 1, x.shape[2]), torch.tensor([0]))


def name_of(model):
    return next(n for n, cls in ALL_MODELS.items() if type(model) is cls)


@pytest.mark.parametrize("name", list(ALL_MODELS))
def test_shape_and_gradients(name):
    model = _model(name)
    x = torch.randn(2, 3, 512)
    y = _every_input(model, x)
    assert y.shape == x.shape
    y.square().mean().backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None or not torch.isfinite(p.grad).all()]
    assert not missing, f"no gradient for {missing}"
    assert any(float(p.grad.abs().sum()) > 0 for p in model.parameters())


@pytest.mark.parametrize("name", list(ALL_MODELS))
def test_overfits_one_small_batch(name):
    torch.manual_seed(0)
    model = _model(name)
    t = torch.arange(512) / 256.0
    clean = torch.stack([torch.sin(2 * torch.pi * f * t) for f in (3.0, 7.0, 10.0, 20.0)])[:, None, :]
    noisy = clean + 0.5 * torch.randn_like(clean)
    noisy, clean = noisy.repeat(1, 3, 1), clean.repeat(1, 3, 1)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.eval()
    with torch.no_grad():
        before = torch.mean((model(noisy) - clean) ** 2).item()
    for _ in range(150):
        model.train()
        loss = torch.mean((model(noisy) - clean) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        after = torch.mean((model(noisy) - clean) ** 2).item()
    assert after < 0.3 * before, (before, after)


@pytest.mark.parametrize("name", list(ALL_MODELS))
def test_save_load_identical(name, tmp_path):
    model = _model(name).eval()
    save_weights(tmp_path / "m", model, {"model": name})
    other = _model(name)
    with torch.no_grad():  # perturb, so the load has to restore every tensor
        for p in other.parameters():
            p.add_(1.0)
    load_weights(tmp_path / "m", other)
    other.eval()
    x = torch.randn(2, 3, 512)
    with torch.no_grad():
        assert torch.equal(model(x), other(x))


@pytest.mark.parametrize("name", [n for n, m in ALL_MODELS.items() if not m.fixed_length])
@pytest.mark.parametrize("n_times", [100, 333, 512, 1000])
def test_length_agnostic_models_run_on_any_length(name, n_times):
    model = _model(name).eval()
    with torch.no_grad():
        assert model(torch.randn(2, 1, n_times)).shape == (2, 1, n_times)


def test_fixed_length_models_refuse_other_lengths():
    with pytest.raises(ValueError, match="n_times=512"):
        _model("complex_cnn")(torch.randn(1, 1, 400))


def test_flagship_exports_with_torch_export():
    model = build_model(FLAGSHIP).eval()
    # torch.export's symbolic shapes cannot prove the padding guards for every integer length, so the exported
    # program takes multiples of 16 samples; the ONNX export (tests/clean) takes any length.
    batch, blocks = torch.export.Dim("batch", min=1, max=1024), torch.export.Dim("blocks", min=2, max=4096)
    example = torch.randn(2, 1, 512)
    prog = torch.export.export(model, (example,), dynamic_shapes={"x": {0: batch, 2: 16 * blocks}})
    for shape in [(3, 1, 512), (1, 1, 1024), (5, 1, 256), (2, 1, 784)]:
        x = torch.randn(*shape)
        with torch.no_grad():
            np.testing.assert_allclose(prog.module()(x).numpy(), model(x).numpy(), atol=1e-5)


def test_flagship_is_small_and_passes_clean_input_when_artifact_head_is_zero():
    model = build_model(FLAGSHIP).eval()
    assert sum(p.numel() for p in model.parameters()) < 200_000
    with torch.no_grad():
        model.decoder.weight.zero_()  # the artifact estimate is the decoder's output
        model.decoder.bias.zero_()
        x = torch.randn(2, 1, 700)
        assert torch.equal(model(x), x)
