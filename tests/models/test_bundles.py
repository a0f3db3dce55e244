"""A shipped bundle owns its model: name, rate and window come from the bundle, and everything that loads a
model (Denoiser, StreamingDenoiser, export) takes them from there."""

from __future__ import annotations

import numpy as np
import pytest

from eegrecon.errors import UnknownNameError
from eegrecon.models import DenoisingModel, NeuralMethod
from eegrecon.models.pretrained import DEFAULT_MODEL, PRETRAINED, get_bundle, load_method


def test_bundle_carries_rate_and_window_and_builds_its_model():
    bundle = PRETRAINED[DEFAULT_MODEL]
    assert bundle.sample_rate == float(bundle.meta["sfreq"]) and bundle.n_times == int(bundle.meta["n_times"])
    assert bundle.window_s == pytest.approx(bundle.n_times / bundle.sample_rate)
    net = bundle.get_model()
    assert isinstance(net, DenoisingModel) and not net.training
    assert (net.sfreq, net.n_times) == (bundle.sample_rate, bundle.n_times)
    method = bundle.get_method()
    assert isinstance(method, NeuralMethod) and method.name == DEFAULT_MODEL
    assert (method.sfreq, method.n_times) == (bundle.sample_rate, bundle.n_times)


def test_denoiser_and_stream_take_rate_and_window_from_the_model(tmp_path):
    from eegrecon import Denoiser, StreamingDenoiser
    from eegrecon.models import build_model
    from eegrecon.models.checkpoint import save_weights

    den = Denoiser(DEFAULT_MODEL).fit()
    bundle = get_bundle()
    assert (den.sfreq_, den.n_window_) == (bundle.sample_rate, bundle.n_times)
    # a checkpoint at another rate and window: nothing may assume 256 Hz / 512 samples
    net = build_model("eegrecon_net", n_times=384, sfreq=128.0, width=8, context=16)
    save_weights(tmp_path / "c", net, {"model": "eegrecon_net", "model_kwargs": {"width": 8, "context": 16},
                                       "sfreq": 128.0, "n_times": 384})
    method = load_method(tmp_path / "c")
    assert (method.sfreq, method.n_times) == (128.0, 384)
    den = Denoiser(str(tmp_path / "c")).fit()
    assert (den.sfreq_, den.n_window_) == (128.0, 384)
    sd = StreamingDenoiser(str(tmp_path / "c"))
    assert (sd.sfreq, sd.n_window) == (128.0, 384)


def test_unknown_bundle_names_list_the_shipped_ones():
    with pytest.raises(UnknownNameError, match=f"unknown pretrained model 'nope'; must be one of '{DEFAULT_MODEL}'"):
        get_bundle("nope")


def test_a_network_without_rate_or_window_is_refused_with_the_fix():
    torch = pytest.importorskip("torch")
    from eegrecon import Denoiser
    from eegrecon.errors import EegreconError

    with pytest.raises(EegreconError, match="must say its rate"):
        Denoiser(torch.nn.Identity()).fit()
    net = torch.nn.Identity()
    net.sfreq, net.n_times = 128.0, 256
    x = np.random.default_rng(0).standard_normal((1, 1000))
    y = Denoiser(net, units=None).fit().transform(x, sfreq=128.0)
    np.testing.assert_allclose(y, x, atol=1e-5)  # an identity network leaves the signal as it was
