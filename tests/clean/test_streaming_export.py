"""Streaming equals offline; ONNX equals PyTorch."""

import numpy as np
import pytest

from eegrecon.clean.denoiser import Denoiser
from eegrecon.clean.model_choice import resolve_method
from eegrecon.clean.streaming import StreamingDenoiser
from eegrecon.errors import DataError


@pytest.mark.parametrize("overlap", [0.5, 0.75])
@pytest.mark.parametrize("n_times", [40, 600, 3001])
def test_streaming_equals_offline_with_bounded_latency(small_checkpoint, overlap, n_times):
    sd = StreamingDenoiser(str(small_checkpoint), n_chans=3, overlap=overlap)
    assert sd.sfreq == 256.0 and sd.latency_s <= 3.0
    x = np.random.default_rng(n_times).standard_normal((3, n_times)) * 25
    offline = Denoiser(str(small_checkpoint), overlap=overlap, chunk_s=None, rise_limit_db=None).fit().transform(
        x, sfreq=256.0)
    _check_stream(sd, x, offline)


@pytest.mark.parametrize("sfreq", [160.0, 500.0, 1000.0, 173.61])
def test_streaming_at_any_rate_equals_offline(small_checkpoint, sfreq):
    sd = StreamingDenoiser(str(small_checkpoint), n_chans=2, sfreq=sfreq)
    x = np.random.default_rng(0).standard_normal((2, int(sfreq * 25))) * 25
    x[0] += 200 * np.sin(2 * np.pi * 0.4 * np.arange(x.shape[1]) / sfreq)
    offline = Denoiser(str(small_checkpoint), chunk_s=None, rise_limit_db=None).fit().transform(x, sfreq=sfreq)
    assert not np.allclose(offline, x)
    _check_stream(sd, x, offline)
    assert sd.latency_s <= 6.0, f"latency {sd.latency_s:.2f} s at {sfreq} Hz"


def _check_stream(sd, x, offline):
    rng = np.random.default_rng(1)
    outs, pos, n_times = [], 0, x.shape[1]
    while pos < n_times:
        k = min(int(rng.integers(1, 300)), n_times - pos)
        outs.append(sd.push(x[:, pos:pos + k]))
        pos += k
        returned = sum(o.shape[1] for o in outs)
        assert pos - sd.latency_samples < returned + 1 or returned == pos, "a sample waited longer than the latency"
        assert returned <= pos
    outs.append(sd.flush())
    stream = np.concatenate(outs, axis=1)
    assert stream.shape == x.shape
    np.testing.assert_allclose(stream, offline, atol=1e-12 * x.std(), rtol=0)


def test_streaming_rejects_bad_chunks(small_checkpoint):
    sd = StreamingDenoiser(str(small_checkpoint), n_chans=2)
    with pytest.raises(DataError, match="shape \\(2, n_samples\\)"):
        sd.push(np.zeros((3, 10)))
    with pytest.raises(DataError, match="NaN"):
        sd.push(np.full((2, 10), np.nan))


def test_onnx_matches_pytorch(small_checkpoint, tmp_path):
    pytest.importorskip("onnxruntime")
    from eegrecon.export import export_onnx, max_difference
    from eegrecon.models.eegrecon_net import fused_ops_available

    fused_ops_available.cache_clear()  # as in a fresh process: exporting first must not trace its probe
    path = export_onnx(str(small_checkpoint), tmp_path / "m.onnx")
    net = resolve_method(str(small_checkpoint)).model
    for n_times in (512, 777, 64):  # dynamic time axis
        x = np.random.default_rng(n_times).standard_normal((5, n_times))
        assert max_difference(path, net, x) < 1e-4
