"""Channel names as amplifiers write them: which channels are scalp EEG, where they sit, and what the rest are."""

import numpy as np

from eegrecon.clean.channel_roles import channel_roles

TEN_TWENTY = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2", "F7", "F8", "T3", "T4", "T5", "T6", "Fz",
              "Cz", "Pz"]


def _roles(names, types=None):
    return channel_roles(names, types or ["eeg"] * len(names))


def test_nihon_kohden_names_are_eeg_and_pol_inputs_are_not():
    names = [f"EEG {n}-Ref" for n in TEN_TWENTY] + ["POL E", "POL X1", "POL $A1", "POL $A2", "EEG A1-Ref", "POL DC03"]
    roles = _roles(names)
    assert roles.kinds[:19] == ["eeg"] * 19
    assert roles.sites[:19] == ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2", "F7", "F8", "T7", "T8",
                                "P7", "P8", "Fz", "Cz", "Pz"]  # the old temporal names are mapped
    assert np.isfinite(roles.positions[:19]).all() and np.isnan(roles.positions[19:]).all()
    assert roles.kinds[19:] == ["misc", "misc", "ref", "ref", "ref", "misc"]
    assert roles.reference == "Ref"
    assert "19 EEG (19 with a scalp position)" in roles.summary() and "3 ear/mastoid reference" in roles.summary()


def test_upper_case_reference_bare_names_and_an_ear_reference():
    for names in ([f"EEG {n}-REF" for n in TEN_TWENTY], [f"EEG {n}" for n in TEN_TWENTY],
                  [f"{n}-A1" for n in TEN_TWENTY]):
        roles = _roles(names)
        assert roles.kinds == ["eeg"] * 19 and all(s is not None for s in roles.sites), names[0]
    assert _roles([f"{n}-A1" for n in TEN_TWENTY]).reference == "A1"


def test_a_scalp_reference_shared_by_most_channels_is_a_reference_and_differing_ones_are_bipolar():
    dsi = [f"EEG {n}-Pz" for n in TEN_TWENTY if n != "Pz"] + ["EEG X1-Pz", "TRG"]
    roles = _roles(dsi)
    assert roles.reference == "Pz" and roles.sites[:18] == [s for s in _roles(TEN_TWENTY).sites if s != "Pz"]
    assert roles.kinds[-2:] == ["misc", "misc"]
    bipolar = _roles(["Fp1-F3", "F3-C3", "C3-P3", "P3-O1", "Fp2-F4", "F4-C4", "C4-P4", "P4-O2"])
    assert bipolar.kinds == ["eeg"] * 8 and bipolar.sites == [None] * 8 and bipolar.reference is None
    assert "bipolar" in bipolar.why["Fp1-F3"]


def test_biosemi_abc_and_egi_numbers_take_their_cap_positions():
    import mne

    names = [f"{b}{i}" for b in "AB" for i in range(1, 33)] + [f"EXG{i}" for i in range(1, 9)] + ["Status"]
    roles = _roles(names)
    assert roles.layout == "biosemi64" and roles.kinds[:64] == ["eeg"] * 64
    assert roles.kinds[64:] == ["misc"] * 9
    assert roles.sites[0] == "Fp1" and roles.sites[32] == "Fpz"  # the 64-cap's ABC order, as its montage lists it
    info = mne.create_info(["Fp1"], 100.0, "eeg").set_montage(mne.channels.make_standard_montage("biosemi64"))
    np.testing.assert_allclose(roles.positions[0], info["chs"][0]["loc"][:3])  # head coordinates
    egi = _roles([f"E{i}" for i in range(1, 130)] + ["ECG", "EMG"])
    assert egi.layout == "GSN-HydroCel-129" and egi.kinds == ["eeg"] * 129 + ["ecg", "emg"]
    assert np.isfinite(egi.positions[:129]).all()
    few = _roles(["A1", "A2", "B1"])  # three names are no cap: A1/A2 are then the ears
    assert few.layout is None and few.kinds[:2] == ["ref", "ref"]


def test_kinds_by_name_and_types_given_by_the_file_are_kept():
    roles = _roles(["EOG left", "REOG", "VEOGL", "EKG2", "POL EKG", "EMG chin", "Chin1", "LOC", "Fpz", "Cz"])
    assert roles.kinds == ["eog", "eog", "eog", "ecg", "ecg", "emg", "emg", "eog", "eeg", "eeg"]
    typed = channel_roles(["Fp1", "STI 014", "HEOG"], ["eeg", "stim", "eog"])
    assert typed.kinds == ["eeg", "stim", "eog"]
