"""The multichannel Denoiser in the recording's own reference: a blink with a common part is removed everywhere and
appears nowhere; average-referenced input gives what it gave before; one broken channel stays on its channel."""

import sys
import warnings

import mne
import numpy as np
import pytest

from eegrecon import Denoiser

SFREQ = 256.0


@pytest.fixture(scope="module")
def own_reference(shared_data):
    """60 s of eegmat in its recorded linked-ears reference, a blink topography referred to the same ears."""
    from eegrecon.data.multichannel import read_eegmat_recordings, recording_splits
    from eegrecon.data.topography import TopographyBank
    from eegrecon.signal.montage import OLD_NAMES, standard_positions

    rec = recording_splits(read_eegmat_recordings(shared_data, reference="recorded"), shared_data)["test"][0]
    clean = rec.data[:, : int(60 * SFREQ)].astype(np.float64)
    pos = np.r_[rec.pos, [standard_positions()[e] for e in ("A1", "A2")]]
    vertical, _ = TopographyBank.build(pos, seed=7).eye(np.random.default_rng(0))
    topography = vertical[:-2] - vertical[-2:].mean()
    t = np.arange(clean.shape[1]) / SFREQ
    course = sum(200 * np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in np.arange(2.0, 58.0, 4.0))
    names = [OLD_NAMES.get(n.upper(), n) for n in rec.ch_names]
    return clean, np.outer(topography, course), names, topography


def _clean(data_uv, names, **kw):
    raw = mne.io.RawArray(data_uv * 1e-6, mne.create_info(names, SFREQ, "eeg"), verbose="error")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        den = Denoiser(line_freq=None, **kw).fit()
        return den.transform(raw).get_data() * 1e6, den


def test_a_blink_with_a_common_part_is_removed_and_appears_nowhere(own_reference):
    clean, artifact, names, topography = own_reference
    assert abs(topography.mean()) > 0.1 * np.abs(topography).max()  # the part average reference cannot see
    out, den = _clean(clean + artifact, names)
    assert den.report_["model"]["multichannel"]
    rms = lambda a: np.sqrt(np.mean(a ** 2, axis=-1))  # noqa: E731
    assert rms(out - clean).mean() < 0.35 * rms(artifact).mean()
    small = np.abs(topography) < 0.2 * np.abs(topography).max()  # channels the blink barely touches
    assert small.sum() >= 3
    # nothing appears there: the error stays at the size of what the blink put there, not the blink's mean
    assert (rms((out - clean)[small]) < rms(artifact[small]) + 0.1 * rms(artifact).max()).all()


def test_average_referenced_input_gives_the_average_reference_output(own_reference, monkeypatch):
    clean, artifact, names, _ = own_reference
    noisy = clean + artifact
    noisy = noisy - noisy.mean(axis=0)
    out, _ = _clean(noisy, names)
    monkeypatch.setattr(sys.modules["eegrecon.clean.spatial.stage"], "restore_common_mode", lambda x, y, sfreq: y)
    before, _ = _clean(noisy, names)
    np.testing.assert_array_equal(out, before)


@pytest.mark.parametrize("what", ["noise", "drift"])
def test_one_broken_channel_stays_on_its_channel(own_reference, what):
    clean, artifact, names, _ = own_reference
    noisy = clean + artifact
    intact, _ = _clean(noisy, names)
    c3 = names.index("C3")
    rng = np.random.default_rng(1)
    broken = noisy.copy()
    n = broken.shape[1]
    broken[c3] += rng.normal(0, 200, n) if what == "noise" else 2000 * np.sin(2 * np.pi * np.arange(n) / SFREQ / 60)
    out, den = _clean(broken, names)
    assert list(den.report_["broken_channels"]) == ["C3"]
    np.testing.assert_allclose(out[c3], broken[c3], rtol=1e-12, atol=1e-9)  # returned as read (µV → V → µV)
    others = [i for i in range(len(names)) if i != c3]
    change = np.sqrt(np.mean((out[others] - intact[others]) ** 2, axis=1)) / np.sqrt(np.mean(intact[others] ** 2,
                                                                                              axis=1))
    assert np.median(change) < 0.03 and change.max() < 0.1


def test_a_reference_channel_in_the_file_comes_back_as_it_was(own_reference):
    """A Cz-referenced file that carries Cz itself (flat zeros): Cz is not cleaned, the others are."""
    clean, artifact, names, _ = own_reference
    cz = names.index("Cz")
    noisy = clean + artifact
    noisy = noisy - noisy[cz]  # referred to Cz
    out, den = _clean(noisy, names)
    assert den.report_["model"]["multichannel"] and "Cz" in den.report_["flat_channels"]
    np.testing.assert_array_equal(out[cz], 0.0)
    fp1 = names.index("Fp1")
    truth = clean - clean[cz]
    assert np.corrcoef(out[fp1], truth[fp1])[0, 1] > np.corrcoef(noisy[fp1], truth[fp1])[0, 1] + 0.2


def test_an_average_reference_applied_by_mne_is_average_reference(own_reference, monkeypatch):
    clean, artifact, names, _ = own_reference
    raw = mne.io.RawArray((clean + artifact) * 1e-6, mne.create_info(names, SFREQ, "eeg"), verbose="error")
    raw.set_eeg_reference("average", verbose="error")
    assert raw.info["custom_ref_applied"]

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Denoiser(line_freq=None).fit().transform(raw).get_data()

    out = run()
    monkeypatch.setattr(sys.modules["eegrecon.clean.spatial.stage"], "restore_common_mode", lambda x, y, sfreq: y)
    np.testing.assert_array_equal(out, run())  # no common part is added to an average-referenced recording


def test_bipolar_derivations_are_cleaned_one_by_one():
    names = ["Fp1-F7", "F7-T7", "T7-P7", "P7-O1", "Fp2-F8", "F8-T8", "T8-P8", "P8-O2", "Fz-Cz", "Cz-Pz"]
    raw = mne.io.RawArray(np.random.default_rng(0).normal(0, 10e-6, (len(names), 2048)),
                          mne.create_info(names, SFREQ, "eeg"), verbose="error")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        den = Denoiser(line_freq=None).fit()
        den.transform(raw)
    assert not den.report_["model"]["multichannel"]
