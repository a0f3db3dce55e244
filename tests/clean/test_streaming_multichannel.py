"""Live multichannel cleaning: model chosen from an Info, equal to offline, references untouched, sources fit live."""

from __future__ import annotations

import warnings

import mne
import numpy as np
import pytest

from eegrecon import Denoiser
from eegrecon.clean.streaming import StreamingDenoiser

#: the correction's mains-bin stop sees the network's partial output in a span's context (docs/streaming.md)
STREAM_TOLERANCE = 5e-5
NETWORK_ONLY = {"artifact_sources": 0, "reference_regression": False, "line_freq": None}


def _stream(sd: StreamingDenoiser, x: np.ndarray, seed: int = 0) -> np.ndarray:
    rng, outs, pos = np.random.default_rng(seed), [], 0
    while pos < x.shape[1]:
        k = min(int(rng.integers(1, 400)), x.shape[1] - pos)
        outs.append(sd.push(x[:, pos:pos + k]))
        pos += k
        returned = sum(o.shape[1] for o in outs)
        assert returned >= pos - sd.latency_samples, "a sample waited longer than the latency"
    outs.append(sd.flush())
    return np.concatenate(outs, axis=1)


def _average_referenced(simulated_raw, seconds=40.0, sfreq=256.0):
    raw = simulated_raw(3, seconds=seconds)
    if sfreq != 256.0:
        raw.resample(sfreq, verbose="error")
    return raw.set_eeg_reference("average", verbose="error")


def test_the_model_is_chosen_from_an_info_or_names_as_offline(simulated_raw):
    raw = simulated_raw(0, seconds=4.0)
    names = raw.ch_names
    sd = StreamingDenoiser(info=raw.info)
    assert sd.multichannel and sd.report_["model"]["name"] == "eegrecon_mc"
    assert sd.report_["references"] == ["VEOG"] and "19 of 19" in sd.report_["model"]["reason"]
    named = StreamingDenoiser(ch_names=names, sfreq=250.0)
    assert named.multichannel and named.report_["references"] == ["VEOG"] and named.sfreq == 250.0
    assert not StreamingDenoiser(n_chans=19, sfreq=250.0).multichannel  # numbers are no montage
    few = StreamingDenoiser(ch_names=["Fp1", "Fp2", "Cz", "Oz"], sfreq=250.0)
    assert not few.multichannel and "needs ≥ 8" in few.report_["model"]["reason"]


@pytest.mark.parametrize("sfreq", [256.0, 500.0, 160.0])
def test_streaming_equals_offline_where_the_offline_road_has_no_recording_level_fit(simulated_raw, sfreq):
    raw = _average_referenced(simulated_raw, sfreq=sfreq)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        offline = Denoiser(chunk_s=None, recording_fit=False, **NETWORK_ONLY).fit().transform(raw).get_data()
    sd = StreamingDenoiser(info=raw.info, **NETWORK_ONLY)
    assert sd.latency_s <= 2.5
    x = raw.get_data()
    streamed = _stream(sd, x)
    assert not np.allclose(offline[:19], x[:19])
    np.testing.assert_allclose(streamed[:19], offline[:19], atol=STREAM_TOLERANCE * x[:19].std(), rtol=0)


def test_reference_channels_are_used_and_never_changed(simulated_raw):
    raw = _average_referenced(simulated_raw, seconds=20.0)
    x = raw.get_data()
    with_eog = _stream(StreamingDenoiser(info=raw.info, artifact_sources=0), x)
    np.testing.assert_array_equal(with_eog[19], x[19])
    flat = x.copy()
    flat[19] = np.random.default_rng(5).normal(0, 1e-7, x.shape[1])  # an EOG channel that saw nothing
    without = _stream(StreamingDenoiser(info=raw.info, artifact_sources=0), flat)
    assert not np.allclose(without[:19], with_eog[:19])


def test_artifact_sources_are_fitted_on_what_the_stream_has_shown(simulated_raw):
    raw = _average_referenced(simulated_raw, seconds=40.0)
    x = raw.get_data()
    live = StreamingDenoiser(info=raw.info, fit_after_s=20.0, reference_regression=False)
    network = StreamingDenoiser(info=raw.info, artifact_sources=0, reference_regression=False)
    first = int(15 * raw.info["sfreq"])
    a, b = live.push(x[:, :first]), network.push(x[:, :first])
    assert live.engine_.stage.sources is None
    np.testing.assert_array_equal(a, b)  # before the fit: the network's own removal
    live.push(x[:, first:])
    assert live.engine_.stage.sources is not None
    assert "from 20 s on" in live.report_["artifact_sources_fit"]


def test_bfloat16_and_float32_multichannel_outputs_agree(simulated_raw):
    """docs/multichannel.md: bfloat16 and float32 outputs differ by less than 2 % of what is removed."""
    raw = _average_referenced(simulated_raw, seconds=20.0)
    x = raw.get_data()[:19]
    out = {}
    for precision in ("float32", "bfloat16"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[precision] = Denoiser(precision=precision, line_freq=None).fit().transform(raw).get_data()[:19]
    removed = np.sqrt(np.mean((out["float32"] - x) ** 2))
    assert np.sqrt(np.mean((out["bfloat16"] - out["float32"]) ** 2)) < 0.02 * removed


def test_a_montage_gives_positions_to_names_it_knows():
    montage = mne.channels.make_dig_montage({f"E{i}": np.r_[np.cos(i / 3), np.sin(i / 3), 0.5] * 0.09
                                             for i in range(10)}, coord_frame="head")
    sd = StreamingDenoiser(ch_names=[f"E{i}" for i in range(10)], sfreq=256.0, montage=montage)
    assert sd.multichannel and "10 of 10" in sd.report_["model"]["reason"]
