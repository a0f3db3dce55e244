"""The Denoiser picks the multichannel model as documented, uses references, and does no harm."""

import warnings

import mne
import numpy as np
import pytest
import torch

from eegrecon import Denoiser
from eegrecon.models.multichannel_net import EEGReconMC

NAMES = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
         "Cz", "Pz"]


def _raw(names, sfreq=256.0, seconds=8.0, types=None, seed=0):
    rng = np.random.default_rng(seed)
    data = rng.normal(0, 10e-6, (len(names), int(sfreq * seconds)))
    return mne.io.RawArray(data, mne.create_info(names, sfreq, types or "eeg"), verbose="error")


def _closed_gate_model():
    torch.manual_seed(0)
    model = EEGReconMC().eval()
    with torch.no_grad():
        model.gate_head.weight.zero_()
        model.gate_head.bias.fill_(-10.0)
    return model


@pytest.fixture(scope="module")
def auto():
    return Denoiser(line_freq=None).fit()


def test_standard_names_choose_the_multichannel_model(auto):
    auto.transform(_raw(NAMES))
    chosen = auto.report_["model"]
    assert chosen["multichannel"] and chosen["name"] == "eegrecon_mc"
    assert "19 of 19" in chosen["reason"] and "names" in chosen["reason"]


def test_few_or_unnamed_channels_choose_the_single_channel_model(auto):
    auto.transform(_raw(NAMES[:5]))
    assert not auto.report_["model"]["multichannel"]
    assert "5 of 5" in auto.report_["model"]["reason"] and "≥ 8" in auto.report_["model"]["reason"]
    auto.transform(_raw([f"E{i}" for i in range(19)]))
    assert not auto.report_["model"]["multichannel"] and "0 of 19" in auto.report_["model"]["reason"]
    auto.transform(np.random.default_rng(0).normal(0, 10, (19, 2048)), sfreq=256.0)
    assert not auto.report_["model"]["multichannel"] and "array" in auto.report_["model"]["reason"]


def test_a_montage_gives_positions_to_any_names(auto):
    raw = _raw([f"E{i}" for i in range(19)])
    positions = mne.channels.make_standard_montage("biosemi32").get_positions()["ch_pos"]
    montage = mne.channels.make_dig_montage({f"E{i}": p for i, p in zip(range(19), positions.values())},
                                            coord_frame="head")
    raw.set_montage(montage)
    auto.transform(raw)
    assert auto.report_["model"]["multichannel"] and "montage" in auto.report_["model"]["reason"]


def test_model_option_overrides_the_choice():
    den = Denoiser("eegrecon_net", line_freq=None).fit()
    den.transform(_raw(NAMES))
    assert not den.report_["model"]["multichannel"]
    den = Denoiser("eegrecon_mc", line_freq=None).fit()
    out = den.transform(np.random.default_rng(0).normal(0, 10, (4, 2048)), sfreq=256.0)
    assert den.report_["model"]["multichannel"] and out.shape == (4, 2048)


def test_eog_channels_are_references_and_come_back_untouched(auto):
    raw = _raw(NAMES + ["VEOG", "ECG"], types=["eeg"] * 19 + ["eog", "ecg"])
    out = auto.transform(raw)
    assert auto.report_["references"] == ["VEOG", "ECG"]
    np.testing.assert_array_equal(out.get_data(picks=["VEOG", "ECG"]), raw.get_data(picks=["VEOG", "ECG"]))


@pytest.mark.parametrize("refit", [0, 2])
@pytest.mark.parametrize("sfreq", [256.0, 500.0])
def test_a_closed_gate_returns_the_recording_bit_for_bit(sfreq, refit):
    raw = _raw(NAMES + ["VEOG"], sfreq=sfreq, types=["eeg"] * 19 + ["eog"])
    den = Denoiser(_closed_gate_model(), line_freq=None, refit_components=refit).fit()
    out = den.transform(raw)
    assert den.report_["model"]["multichannel"] and den.report_["artifact_refit"] == refit
    assert den.report_["artifact_sources"] == 2  # on by default, and a closed gate still returns the input
    np.testing.assert_array_equal(out.get_data(), raw.get_data())


def test_epochs_are_cleaned_epoch_by_epoch_with_all_channels(auto):
    raw = _raw(NAMES, seconds=12.0)
    epochs = mne.make_fixed_length_epochs(raw, duration=3.0, preload=True, verbose="error")
    out = auto.transform(epochs)
    assert auto.report_["model"]["multichannel"]
    assert out.get_data().shape == epochs.get_data().shape


def _blinks(n, sfreq, rng, amplitude):
    t = np.arange(n) / sfreq
    course = np.zeros(n)
    centres = np.arange(2.0, t[-1] - 1.0, 4.0) + rng.uniform(-0.3, 0.3, len(np.arange(2.0, t[-1] - 1.0, 4.0)))
    for c in centres:
        course += amplitude * np.exp(-0.5 * ((t - c) / 0.1) ** 2)
    return course, centres


def test_an_injected_blink_topography_is_removed_and_clean_eeg_kept(shared_data):
    from eegrecon.data.multichannel import read_eegmat_recordings, recording_splits
    from eegrecon.data.topography import TopographyBank

    rec = recording_splits(read_eegmat_recordings(shared_data), shared_data)["test"][0]
    clean = rec.data[:, : 60 * 256].astype(np.float64)
    rng = np.random.default_rng(0)
    vertical, _ = TopographyBank.build(rec.pos, seed=7).eye(rng)
    course, centres = _blinks(clean.shape[1], 256.0, rng, 200.0)
    noisy = clean + np.outer(vertical, course)
    names = [{"T3": "T7", "T4": "T8", "T5": "P7", "T6": "P8"}.get(n, n) for n in rec.ch_names]
    raw = mne.io.RawArray(noisy * 1e-6, mne.create_info(names, 256.0, "eeg"), verbose="error")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        den = Denoiser(line_freq=None).fit()
        out = den.transform(raw).get_data() * 1e6
    assert den.report_["model"]["multichannel"]
    fp1 = names.index("Fp1")
    cc = lambda a, b: np.corrcoef(a, b)[0, 1]  # noqa: E731
    assert cc(out[fp1], clean[fp1]) > cc(noisy[fp1], clean[fp1]) + 0.2
    err_before = np.sqrt(np.mean((noisy - clean) ** 2))
    err_after = np.sqrt(np.mean((out - clean) ** 2))
    assert err_after < 0.5 * err_before
    clean_again = Denoiser(line_freq=None).fit().transform(
        mne.io.RawArray(clean * 1e-6, mne.create_info(names, 256.0, "eeg"), verbose="error")).get_data() * 1e6
    kept = {n: cc(a, b) for n, a, b in zip(names, clean_again, clean)}
    assert np.mean(list(kept.values())) > 0.99
    assert min(v for n, v in kept.items() if n not in ("F7", "F8")) > 0.98
    # eegmat is ICA-cleaned, yet F7/F8 keep some horizontal eye movement: what the model takes from them there is
    # that (opposite sign at F7 and F8, mostly below 4 Hz), and little of it
    removed = clean - clean_again
    f7, f8 = names.index("F7"), names.index("F8")
    assert kept["F7"] > 0.96 and kept["F8"] > 0.96
    assert cc(removed[f7], removed[f8]) < -0.5


def test_the_artifact_map_is_zero_where_the_gate_is_closed_and_marks_a_blink(auto):
    from eegrecon.data.simulate import simulate_clean_eeg

    raw = _raw(NAMES, sfreq=500.0)
    names, gate = Denoiser(_closed_gate_model(), line_freq=None).fit().artifact_map(raw)
    assert names == NAMES and gate.shape == (19, raw.n_times) and not gate.any()
    sf = 256.0
    x = simulate_clean_eeg(19, int(8 * sf), sf, 0).astype(np.float64)
    t = np.arange(x.shape[1]) / sf
    fronts = np.array([1.0 if n.startswith("Fp") else 0.3 if n.startswith("F") else -0.1 for n in NAMES])
    blink = np.outer(fronts - fronts.mean(), 150 * np.exp(-0.5 * ((t - 4.0) / 0.12) ** 2))
    raw_blink = mne.io.RawArray((x - x.mean(axis=0) + blink) * 1e-6, mne.create_info(NAMES, sf, "eeg"),
                                verbose="error")
    names, gate = auto.artifact_map(raw_blink)
    near, far = np.abs(t - 4.0) < 0.15, np.abs(t - 4.0) > 1.5
    assert gate[names.index("Fp1"), near].mean() > gate[names.index("Fp1"), far].mean() + 0.3
    _, single = Denoiser("eegrecon_net").fit().artifact_map(x[:2], sfreq=sf)
    assert single.shape == (2, x.shape[1]) and ((single >= 0) & (single <= 1)).all()
