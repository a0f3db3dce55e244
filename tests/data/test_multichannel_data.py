"""Recording-level data: positions, topographies for any montage, the recording-level SNR, splits."""

import numpy as np
import pytest

from eegrecon.data.multichannel import REF_BRAIN_GAIN, Courses, amplifier_highpass, contaminate, snr_per_channel
from eegrecon.data.topography import TopographyBank
from eegrecon.signal.montage import positions_from_names, spline_matrix, standard_name

NAMES_1020 = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2",
              "Fz", "Cz", "Pz"]


@pytest.fixture(scope="module")
def bank():
    return TopographyBank.build(positions_from_names(NAMES_1020), seed=0)


def _courses(n=4096, sfreq=256.0):
    rng = np.random.default_rng(0)
    t = np.arange(n) / sfreq
    blinks = np.zeros(n)
    for c in rng.uniform(1, t[-1] - 1, 6):
        blinks += 150 * np.exp(-0.5 * ((t - c) / 0.08) ** 2)
    eog = np.stack([blinks, 30 * np.sin(2 * np.pi * 0.3 * t)])
    items = {"eog": {"test": [eog]}, "emg": {"test": [rng.normal(0, 20, (1, n))]},
             "ecg": {"test": [np.sin(2 * np.pi * 1.2 * t)[None] ** 15 * 500]}}
    return Courses(items, sfreq)


def test_names_map_to_the_10_05_template():
    assert [standard_name(n) for n in ["EEG Fp1-REF", "T3", "t5", "O2-A1", "EEG Cz"]] == ["FP1", "T7", "P7", "O2",
                                                                                         "CZ"]
    pos = positions_from_names(["Fp1", "T3", "T7", "not-a-channel"])
    assert np.isfinite(pos[:3]).all() and np.isnan(pos[3]).all()
    np.testing.assert_array_equal(pos[1], pos[2])
    assert pos[0, 1] > 0.05  # Fp1 is at the front (head coordinates: +y towards the nasion)


def test_eye_topographies_are_frontal_and_horizontal_ones_antisymmetric(bank):
    rng = np.random.default_rng(1)
    idx = {n: i for i, n in enumerate(NAMES_1020)}
    for _ in range(20):
        vertical, horizontal = bank.eye(rng)
        assert abs(vertical.sum()) < 1e-9 and abs(horizontal.sum()) < 1e-9  # average reference
        front = np.abs(vertical[[idx["Fp1"], idx["Fp2"]]]).mean()
        back = np.abs(vertical[[idx["O1"], idx["O2"]]]).mean()
        assert front > 2 * back
        assert np.sign(horizontal[idx["F7"]]) == -np.sign(horizontal[idx["F8"]])
        assert max(abs(horizontal[idx["F7"]]), abs(horizontal[idx["F8"]])) > 3 * abs(horizontal[idx["Pz"]])


def test_muscle_topographies_are_local(bank):
    rng = np.random.default_rng(2)
    near = {"frontalis": {"Fp1", "Fp2", "F3", "F4", "Fz", "F7", "F8"}, "temporalis": {"F7", "F8", "T7", "T8"},
            "neck": {"O1", "O2", "P7", "P8", "T7", "T8"}}
    for kind, channels in near.items():
        hits = [NAMES_1020[int(np.argmax(np.abs(bank.muscle(rng, kind))))] in channels for _ in range(20)]
        assert np.mean(hits) >= 0.8, kind


def test_any_montage_gets_topographies():
    import mne

    montage = mne.channels.make_standard_montage("biosemi64")
    info = mne.create_info(montage.ch_names, 256.0, "eeg")
    info.set_montage(montage)
    pos = np.array([ch["loc"][:3] for ch in info["chs"]])
    bank64 = TopographyBank.build(pos, seed=0, n_eye=2, n_muscle=2)
    vertical, _ = bank64.eye(np.random.default_rng(0))
    assert vertical.shape == (64,)
    assert montage.ch_names[int(np.argmax(vertical))] in ("Fp1", "Fpz", "Fp2", "AF7", "AF8", "AF3", "AF4", "AFz")


def test_spline_matrix_reproduces_constants():
    pos = positions_from_names(NAMES_1020)
    extra = positions_from_names(["AF3", "CP1", "PO4"])
    m = spline_matrix(pos, extra)
    assert m.shape == (3, 19)
    np.testing.assert_allclose(m @ np.ones(19), 1.0, atol=1e-6)


@pytest.mark.parametrize("snr", [-9.0, 0.0, 4.0])
def test_contamination_sets_the_snr_at_the_most_contaminated_channel(bank, snr):
    rng = np.random.default_rng(3)
    clean = rng.normal(0, 10, (19, 2048))
    clean -= clean.mean(axis=0)
    mix = contaminate(clean, bank, _courses(), "test", snr, rng, families={"eog": 1.0, "emg": 0.5})
    np.testing.assert_allclose(mix.noisy, mix.clean + mix.artifact)
    per_channel = snr_per_channel(mix.clean, mix.artifact)
    assert per_channel.min() == pytest.approx(snr, abs=1e-9)
    assert mix.refs.shape == (3, 2048)


def test_the_veog_reference_shows_the_vertical_eye_signal(bank):
    rng = np.random.default_rng(5)
    clean = rng.normal(0, 10, (19, 2048))
    mix = contaminate(clean, bank, _courses(), "test", -3.0, rng, families={"eog": 1.0})
    assert np.corrcoef(mix.refs[0], mix.artifact[0])[0, 1] > 0.8  # VEOG vs the artifact at Fp1
    assert np.abs(np.corrcoef(mix.refs[2], mix.artifact[0])[0, 1]) < 0.5  # no ECG in this mix


def test_the_references_brain_signal_is_ref_brain_gain_times_the_first_channel(bank):
    # benchmarks/multichannel.py --brain-free-refs subtracts exactly this to bound what it costs
    rng = np.random.default_rng(10)
    clean = rng.normal(0, 10, (19, 2048))
    quiet = contaminate(clean, bank, _courses(), "test", 0.0, rng, families={})
    np.testing.assert_allclose(quiet.refs, np.repeat(REF_BRAIN_GAIN * clean[:1], 3, axis=0))
    mix = contaminate(clean, bank, _courses(), "test", -3.0, rng, families={"eog": 1.0})
    eye_only = mix.refs[0] - REF_BRAIN_GAIN * clean[0]
    assert abs(np.corrcoef(eye_only, clean[0])[0, 1]) < 0.1
    assert np.corrcoef(eye_only, mix.artifact[0])[0, 1] > 0.8  # what is left follows the eye artifact at Fp1


def test_no_component_leaves_the_recording_clean(bank):
    rng = np.random.default_rng(4)
    clean = rng.normal(0, 10, (19, 1024))
    mix = contaminate(clean, bank, _courses(), "test", -6.0, rng, families={})
    assert not mix.artifact.any() and mix.components == []
    np.testing.assert_array_equal(mix.noisy, clean)


def test_recordings_split_by_the_corpus_subjects(shared_data):
    from eegrecon.data.multichannel import read_eegmat_recordings, recording_splits

    splits = recording_splits(read_eegmat_recordings(shared_data), shared_data)
    groups = {s: {r.group for r in recs} for s, recs in splits.items()}
    assert all(groups.values())
    assert not groups["train"] & groups["test"] and not groups["val"] & groups["test"]
    assert not groups["train"] & groups["val"]
    rec = splits["test"][0]
    assert rec.data.shape[0] == 19 and np.isfinite(rec.pos).all()
    np.testing.assert_allclose(rec.data.mean(axis=0), 0, atol=1e-3)  # average reference


def test_amplifier_highpass_turns_a_step_into_an_exponential_decay():
    sfreq, tau = 256.0, 0.3
    step = np.zeros((1, 1024))
    step[0, 256:] = 1.0
    out = amplifier_highpass(step, sfreq, tau)[0]
    assert np.all(out[:256] == 0)
    assert out[256] == pytest.approx(1.0, abs=0.01)
    # one time constant after the step the output has fallen to 1/e
    assert out[256 + int(tau * sfreq)] == pytest.approx(np.exp(-1.0), abs=0.02)


def test_ac_coupled_eye_course_decays_and_reaches_the_references(bank):
    sfreq, n = 256.0, 512
    level = np.ones((2, 20 * int(sfreq)))  # eyes held still away from centre: a DC offset in the EOG
    level[1] = 0.0
    courses = Courses({"eog": {"test": [level]}}, sfreq)
    clean = np.random.default_rng(6).normal(0, 10, (19, n))
    plain = contaminate(clean, bank, courses, "test", 0.0, np.random.default_rng(7), families={"eog": 1.0})
    coupled = contaminate(clean, bank, courses, "test", 0.0, np.random.default_rng(7), families={"eog": 1.0},
                          ac_coupling=1.0)
    fp1 = NAMES_1020.index("Fp1")
    assert np.ptp(plain.artifact[fp1]) < 1e-9 * np.abs(plain.artifact[fp1]).max()  # DC-coupled: a constant
    # AC-coupled: the offset has nearly decayed (5 time constants of lead-in) and keeps decaying monotonically
    course = coupled.artifact[fp1]
    assert np.all(np.diff(np.abs(course)) < 0)
    veog = coupled.refs[0] - REF_BRAIN_GAIN * clean[0]
    assert np.corrcoef(veog, course)[0, 1] > 0.999  # the VEOG channel went through the same amplifier


def test_ac_coupling_off_keeps_the_draws(bank):
    clean = np.random.default_rng(8).normal(0, 10, (19, 1024))
    a = contaminate(clean, bank, _courses(), "test", -3.0, np.random.default_rng(9))
    b = contaminate(clean, bank, _courses(), "test", -3.0, np.random.default_rng(9), ac_coupling=0.0)
    np.testing.assert_array_equal(a.noisy, b.noisy)
    np.testing.assert_array_equal(a.refs, b.refs)
