"""`eegrecon denoise` on files: formats written back, inputs untouched, atomic outputs, errors per file."""

import mne
import numpy as np
import pytest
from typer.testing import CliRunner

from eegrecon.clean.files import clean_file, clean_files, output_path
from eegrecon.cli import app
from eegrecon.errors import EegreconError

runner = CliRunner()


@pytest.fixture
def recordings(tmp_path, make_raw):
    raw = make_raw(sfreq=250.0, seconds=9.0)
    raw.set_annotations(mne.Annotations([1.0], [0.5], ["blink"]))
    folder = tmp_path / "in"
    folder.mkdir()
    paths = {"fif": folder / "rec_raw.fif", "edf": folder / "rec.edf", "vhdr": folder / "rec.vhdr"}
    raw.save(paths["fif"], verbose="error")
    mne.export.export_raw(paths["edf"], raw, fmt="edf", verbose="error")
    mne.export.export_raw(paths["vhdr"], raw, fmt="brainvision", verbose="error")
    return raw, paths


@pytest.mark.parametrize("kind", ["fif", "edf", "vhdr"])
def test_written_file_reads_back_with_same_channels_rate_length(recordings, kind, tmp_path, small_checkpoint):
    raw, paths = recordings
    src = paths[kind]
    before = {p: p.read_bytes() for p in src.parent.iterdir()}
    res = clean_file(src, tmp_path / "out", model=str(small_checkpoint))
    back = mne.io.read_raw(res.output, preload=True, verbose="error")
    assert back.ch_names == raw.ch_names
    assert back.info["sfreq"] == raw.info["sfreq"] and back.n_times == raw.n_times
    assert res.output.suffix == src.suffix
    assert {p: p.read_bytes() for p in src.parent.iterdir()} == before, "inputs must be byte-identical"
    assert not [p for p in res.output.parent.iterdir() if p.name.startswith(".")], "no temporary files left"
    # units kept: the cleaned EEG is still microvolt-sized when read in volts
    assert 1e-7 < np.std(back.get_data(picks="eeg")) < 1e-3


def test_unknown_export_format_falls_back_to_fif(tmp_path):
    dest, fmt, note = output_path(tmp_path / "x.set", tmp_path / "o")
    assert fmt == "fif" and dest.name == "x_clean_raw.fif" and "FIF" in note
    dest, fmt, note = output_path(tmp_path / "x.bdf", tmp_path / "o")
    assert (fmt, dest.suffix, note) == ("bdf", ".bdf", ""), "BDF stays BDF (24-bit), rewritten in place"


def test_refuses_to_overwrite_and_reports_per_file_errors(recordings, tmp_path, small_checkpoint):
    _, paths = recordings
    out = tmp_path / "out"
    clean_file(paths["fif"], out, model=str(small_checkpoint))
    with pytest.raises(EegreconError, match="--overwrite"):
        clean_file(paths["fif"], out, model=str(small_checkpoint))
    corrupt = tmp_path / "in" / "broken.edf"
    corrupt.write_bytes(b"0       this is not an EDF header")
    empty = tmp_path / "in" / "empty.fif"
    empty.write_bytes(b"")
    results = clean_files([corrupt, empty, paths["edf"]], out, model=str(small_checkpoint), n_jobs=2)
    assert isinstance(results[0], EegreconError) and "broken.edf" in str(results[0])
    assert isinstance(results[1], EegreconError) and "empty.fif" in str(results[1])
    assert results[2].output.is_file()


def test_cli_denoise_many_files_with_report(recordings, tmp_path, small_checkpoint):
    _, paths = recordings
    out = tmp_path / "cli"
    res = runner.invoke(app, ["denoise", str(paths["fif"]), str(paths["vhdr"]), "--out", str(out), "--model",
                              str(small_checkpoint), "--n-jobs", "2", "--report"])
    assert res.exit_code == 0, res.output
    assert (out / "rec_clean_raw.fif").is_file() and (out / "rec_clean.vhdr").is_file()
    assert len(list(out.glob("*_report.html"))) == 2
    assert "model ran at 256 Hz" in res.output and "untouched" in res.output


def test_cli_denoise_overlap_reaches_the_denoiser(recordings, tmp_path, small_checkpoint):
    _, paths = recordings
    outputs = {}
    for overlap in ("0.5", "0"):
        out = tmp_path / f"ov{overlap}"
        res = runner.invoke(app, ["denoise", str(paths["fif"]), "--out", str(out), "--model", str(small_checkpoint),
                                  "--overlap", overlap, "--rise-limit", "off"])  # an untrained model, unguarded
        assert res.exit_code == 0, res.output
        outputs[overlap] = mne.io.read_raw_fif(out / "rec_clean_raw.fif", verbose="error").get_data()
    assert outputs["0.5"].shape == outputs["0"].shape
    assert not np.array_equal(outputs["0.5"], outputs["0"])  # other windows, other blend
    res = runner.invoke(app, ["denoise", str(paths["fif"]), "--out", str(tmp_path / "bad"), "--model",
                              str(small_checkpoint), "--overlap", "1"])
    assert res.exit_code != 0 and "overlap" in res.output


def _blinks_fif(tmp_path):
    """A minute of 19 named channels with a blink every 3 s, saved as FIF."""
    names = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
             "Cz", "Pz"]
    rng = np.random.default_rng(0)
    sfreq, n = 256.0, 256 * 60
    t = np.arange(n) / sfreq
    blinks = sum(np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in np.arange(1.5, 59.0, 3.0))
    frontal = np.array([1.0 if nm.startswith("Fp") else 0.4 if nm.startswith("F") else 0.05 for nm in names])
    data = rng.normal(0, 10, (len(names), n)) + 250 * np.outer(frontal, blinks)
    path = tmp_path / "blinks_raw.fif"
    mne.io.RawArray(data * 1e-6, mne.create_info(names, sfreq, "eeg"), verbose="error").save(path, verbose="error")
    return path


def test_cli_denoise_artifact_sources_are_on_by_default_and_can_be_turned_off(tmp_path):
    path = _blinks_fif(tmp_path)
    outputs = {}
    for k in ("2", "0"):
        res = runner.invoke(app, ["denoise", str(path), "--out", str(tmp_path / k), "--line-freq", "off",
                                  *(["--artifact-sources", k] if k == "0" else [])])
        assert res.exit_code == 0, res.output
        said = "artifact sources cleaned in source space: 2 (topographies fitted on 1 of 1 chunk(s))" in " ".join(
            res.output.split())
        assert said == (k == "2"), res.output
        outputs[k] = mne.io.read_raw_fif(tmp_path / k / "blinks_clean_raw.fif", verbose="error").get_data()
    assert not np.array_equal(outputs["0"], outputs["2"])
    res = runner.invoke(app, ["denoise", str(path), "--out", str(tmp_path / "bad"), "--artifact-sources", "-1"])
    assert res.exit_code != 0 and "artifact_sources" in res.output


def test_cli_denoise_refit_reaches_the_multichannel_denoiser(tmp_path):
    path = _blinks_fif(tmp_path)
    outputs = {}
    for k in ("0", "1"):
        res = runner.invoke(app, ["denoise", str(path), "--out", str(tmp_path / k), "--line-freq", "off",
                                  "--refit-components", k])
        assert res.exit_code == 0, res.output
        assert "eegrecon_mc" in res.output
        assert ("artifact refit over each chunk: 1 course" in " ".join(res.output.split())) == (k == "1")
        outputs[k] = mne.io.read_raw_fif(tmp_path / k / "blinks_clean_raw.fif", verbose="error").get_data()
    assert not np.array_equal(outputs["0"], outputs["1"])
    res = runner.invoke(app, ["denoise", str(path), "--out", str(tmp_path / "bad"), "--refit-components", "-1"])
    assert res.exit_code != 0 and "refit_components" in res.output


def test_cli_denoise_reference_regression_is_on_by_default_and_can_be_turned_off(tmp_path):
    names = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
             "Cz", "Pz"]
    rng = np.random.default_rng(1)
    sfreq, n = 256.0, 256 * 60
    kernel = np.hanning(130)[1:-1]
    eye = np.convolve(rng.normal(0, 1, n), kernel, mode="same")
    eye *= 40.0 / eye.std()
    frontal = np.array([1.0 if nm.startswith("Fp") else 0.4 if nm.startswith("F") else 0.05 for nm in names])
    data = np.r_[rng.normal(0, 10, (len(names), n)) + np.outer(frontal, eye), 1.5 * eye[None]]
    info = mne.create_info(names + ["VEOG"], sfreq, ["eeg"] * len(names) + ["eog"])
    path = tmp_path / "eyes_raw.fif"
    mne.io.RawArray(data * 1e-6, info, verbose="error").save(path, verbose="error")
    outputs = {}
    for flag in ("--reference-regression", "--no-reference-regression"):
        res = runner.invoke(app, ["denoise", str(path), "--out", str(tmp_path / flag), "--line-freq", "off", flag])
        assert res.exit_code == 0, res.output
        said = "EOG regression: used in 1 of 1 chunk(s)" in " ".join(res.output.split())
        assert said == (flag == "--reference-regression"), res.output
        outputs[flag] = mne.io.read_raw_fif(tmp_path / flag / "eyes_clean_raw.fif", verbose="error").get_data()
    assert not np.array_equal(outputs["--reference-regression"], outputs["--no-reference-regression"])


def test_cli_denoise_names_a_broken_channel_and_the_largest_power_rise(tmp_path):
    path = _blinks_fif(tmp_path)
    raw = mne.io.read_raw_fif(path, preload=True, verbose="error")
    c3 = raw.ch_names.index("C3")
    raw._data[c3] += np.random.default_rng(5).normal(0, 300e-6, raw.n_times)
    broken = tmp_path / "broken_raw.fif"
    raw.save(broken, verbose="error")
    res = runner.invoke(app, ["denoise", str(broken), "--out", str(tmp_path / "out"), "--line-freq", "off"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "look broken, kept out of every spatial step and left as recorded: C3 (deviation)" in said
    assert "largest power rise" in said
    out = mne.io.read_raw_fif(tmp_path / "out" / "broken_clean_raw.fif", verbose="error").get_data()
    np.testing.assert_allclose(out[c3], raw.get_data()[c3], rtol=1e-6, atol=1e-12)


def test_warnings_become_one_line_notes_each_once():
    import warnings

    from eegrecon.clean.files import one_line_notes

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("rec.edf: channel X\n    looks clipped", UserWarning, stacklevel=1)
        warnings.warn("rec.edf: channel X\n    looks clipped", UserWarning, stacklevel=1)
        warnings.warn("y" * 400, RuntimeWarning, stacklevel=1)
    notes = one_line_notes(caught)
    assert notes[0] == "rec.edf: channel X looks clipped" and len(notes) == 2
    assert len(notes[1]) == 300 and notes[1].endswith("…")
