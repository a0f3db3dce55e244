"""Streaming equals offline; ONNX equals PyTorch."""

import numpy as np
import pytest

from eegrecon.denoise import resolve_method
from eegrecon.errors import DataError
from eegrecon.inference import overlap_add_denoise
from eegrecon.streaming import StreamingDenoiser


@pytest.mark.parametrize("overlap", [0.5, 0.75])
@pytest.mark.parametrize("n_times", [40, 600, 3001])
def test_streaming_equals_offline_with_fixed_latency(small_checkpoint, overlap, n_times):
    sd = StreamingDenoiser(str(small_checkpoint), n_chans=3, overlap=overlap)
    x = np.random.default_rng(n_times).standard_normal((3, n_times)) * 25
    offline = overlap_add_denoise(x, lambda w: sd.method_.denoise(w, 256.0), sd.n_window, overlap)
    rng = np.random.default_rng(1)
    outs, pos = [], 0
    while pos < n_times:
        k = min(int(rng.integers(1, 300)), n_times - pos)
        outs.append(sd.push(x[:, pos:pos + k]))
        pos += k
        assert sum(o.shape[1] for o in outs) == max(0, pos - sd.latency_samples)
    outs.append(sd.flush())
    stream = np.concatenate(outs, axis=1)
    assert stream.shape == x.shape
    # float32 convolutions give last-bit differences with a different batch composition
    np.testing.assert_allclose(stream, offline, atol=1e-5 * np.abs(x).max(), rtol=0)


def test_streaming_rejects_bad_chunks(small_checkpoint):
    sd = StreamingDenoiser(str(small_checkpoint), n_chans=2)
    with pytest.raises(DataError, match="shape \\(2, n_samples\\)"):
        sd.push(np.zeros((3, 10)))
    with pytest.raises(DataError, match="NaN"):
        sd.push(np.full((2, 10), np.nan))


def test_onnx_matches_pytorch(small_checkpoint, tmp_path):
    pytest.importorskip("onnxruntime")
    from eegrecon.export import export_onnx, max_difference

    path = export_onnx(str(small_checkpoint), tmp_path / "m.onnx")
    net = resolve_method(str(small_checkpoint)).model
    for n_times in (512, 777, 64):  # dynamic time axis
        x = np.random.default_rng(n_times).standard_normal((5, n_times))
        assert max_difference(path, net, x) < 1e-4
