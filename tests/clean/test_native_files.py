"""Files as amplifiers write them, through ``eegrecon denoise``: the right channels cleaned, nothing injected,
nothing clipped, clean output.

Generated fixtures reproduce each quirk (Nihon Kohden names with polygraphic inputs, DC-coupled millivolt offsets
and drifts, a step at the start, 2048 Hz); the small public sample files MNE tests its readers on are run too when
they are on this machine (``EEGRECON_NATIVE_FILES`` or MNE's testing-data folder; skipped otherwise).
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import mne
import numpy as np
import pytest
from typer.testing import CliRunner

from eegrecon.clean.power_change import power_change
from eegrecon.cli import app
from eegrecon.io.edf_layout import read_edf_layout
from eegrecon.io.readers import is_recording_path

pytestmark = pytest.mark.slow
runner = CliRunner()
NK_NAMES = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2", "F7", "F8", "T3", "T4", "T5", "T6", "Fz",
            "Cz", "Pz"]
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "native_files.py"


def _brain(simulated_raw, seconds, sfreq):
    """19 channels of brain-like activity with two blinks (volts), resampled to ``sfreq``."""
    raw = simulated_raw(3, seconds=seconds)
    if sfreq != raw.info["sfreq"]:
        raw.resample(sfreq, verbose="error")
    return raw.get_data(picks="eeg")


def _export(path: Path, names: list[str], data: np.ndarray, sfreq: float) -> Path:
    raw = mne.io.RawArray(data, mne.create_info(names, sfreq, "eeg"), verbose="error")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mne.export.export_raw(path, raw, fmt="edf", verbose="error")
    return path


def _denoise(path: Path, out: Path):
    result = runner.invoke(app, ["denoise", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = next(out.iterdir())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = mne.io.read_raw(path, preload=True, verbose="error")
        after = mne.io.read_raw(written, preload=True, verbose="error")
    return " ".join(result.output.split()), before, after


def _at_rails(path: Path, raw) -> np.ndarray:
    """(n_chans, n_times) True where a sample sits at its signal's physical range limit (within half a step)."""
    lay = read_edf_layout(path)
    rows = []
    for name, x in zip(raw.ch_names, raw.get_data()):
        lo, hi = lay.range_volts(lay.labels.index(name))
        tol = 0.5 * (hi - lo) / (lay.dig_max[lay.labels.index(name)] - lay.dig_min[lay.labels.index(name)])
        rows.append((x <= lo + tol) | (x >= hi - tol))
    return np.array(rows)


def _injected_db(x, y, sfreq):
    return power_change(x, y, sfreq).injected_db(-30.0).max(axis=1)


def test_nihon_kohden_edf_with_polygraphic_inputs(tmp_path, simulated_raw):
    sfreq = 500.0
    eeg = _brain(simulated_raw, 20.0, sfreq)
    n = eeg.shape[1]
    rng = np.random.default_rng(0)
    pol = np.vstack([rng.normal(0, 20e-6, n), rng.normal(0, 5e-3, n),  # POL E, POL X1 (a DC input)
                     0.3 + rng.normal(0, 1e-3, n), -0.2 + rng.normal(0, 1e-3, n)])  # POL $A1/$A2: ±0.3 V
    names = [f"EEG {c}-Ref" for c in NK_NAMES] + ["POL E", "POL X1", "POL $A1", "POL $A2"]
    path = _export(tmp_path / "nk.edf", names, np.vstack([eeg, pol]), sfreq)
    line, before, after = _denoise(path, tmp_path / "out")
    assert "channels read as 19 EEG (19 with a scalp position)" in line and "(multichannel)" in line
    assert "POL $A1 (ref)" in line and "POL X1 (misc)" in line
    x, y = before.get_data(), after.get_data()
    np.testing.assert_array_equal(y[19:], x[19:])  # the polygraphic inputs written back as read
    fp1 = NK_NAMES.index("Fp1")
    blink = np.abs(x[fp1] - np.median(x[fp1])) > 80e-6
    assert np.abs(y[fp1] - x[fp1])[blink].mean() > 40e-6  # the blinks taken out of the EEG channels
    assert (_injected_db(x[:19], y[:19], sfreq) <= 1.0).all()
    assert not (_at_rails(path, after) & ~_at_rails(path, before)).any()  # nothing written at a rail it was not
    assert "File \"" not in line and "warn(" not in line


def test_dc_coupled_input_at_2048_hz_gets_a_correction_without_offset_drift_or_edge_step(tmp_path, simulated_raw):
    sfreq = 2048.0
    eeg = _brain(simulated_raw, 12.0, sfreq)
    n = eeg.shape[1]
    t = np.arange(n) / sfreq
    rng = np.random.default_rng(1)
    offsets = rng.uniform(-6e-3, 6e-3, (19, 1))  # millivolts, as a DC-coupled amplifier records
    drift = np.outer(rng.uniform(-40e-6, 40e-6, 19), t)  # tens of µV per second
    step = np.outer(rng.uniform(-200e-6, 200e-6, 19), np.exp(-t / 0.3))  # the amplifier settling at the start
    corrections = {}
    for name, data in (("ac", eeg), ("dc", eeg + offsets + drift), ("settling", eeg + offsets + drift + step)):
        path = _export(tmp_path / f"{name}.edf", NK_NAMES, data, sfreq)
        line, before, after = _denoise(path, tmp_path / name)
        assert "(multichannel)" in line
        x, y = before.get_data(), after.get_data()
        assert (_injected_db(x, y, sfreq) <= 1.0).all(), name
        corrections[name] = x - y
    assert "DC offset/drift kept out of the cleaning on 19 channel(s)" in line
    rms = lambda v: np.sqrt(np.mean(v ** 2, axis=-1))  # noqa: E731
    fp1 = NK_NAMES.index("Fp1")
    assert rms(corrections["ac"][fp1]) > 20e-6  # the blinks are removed ...
    extra = corrections["dc"] - corrections["ac"]
    assert np.abs(extra.mean(axis=1)).max() < 2e-6  # ... and the 6-mV offsets add no offset to the correction,
    assert rms(extra).max() < 0.25 * rms(corrections["ac"][fp1])  # the drifts no drift, the edges no transient
    first = t < 1.0
    removed = rms((corrections["settling"] - corrections["ac"])[:, first])
    assert (removed < 1.2 * rms(step[:, first]) + 10e-6).all(), (removed * 1e6).round(1)


def test_folders_that_are_recordings_are_accepted(tmp_path):
    (tmp_path / "rec.mff").mkdir()
    (tmp_path / "notes").mkdir()
    assert is_recording_path(tmp_path / "rec.mff") and not is_recording_path(tmp_path / "notes")
    result = runner.invoke(app, ["denoise", str(tmp_path / "notes"), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0 and "not found" in str(result.exception)


def _corpus() -> list[Path]:
    spec = importlib.util.spec_from_file_location("native_files_script", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


SMALL = ["test.vhdr", "test.bdf", "test.edf", "MB0400FU.EDF", "test_egi_pns.mff", "test_CA_208.cnt",
         "test_eximia.nxe", "testdata.nedf", "test_NO.vhdr", "test_reduced.edf"]


@pytest.mark.parametrize("name", SMALL)
def test_sample_files_as_recorded(name, tmp_path):
    script = _corpus()
    roots = [r for r in script.default_roots() if r.is_dir()]
    found = [p for p in script.candidates(roots, 60.0) if p.name == name] if roots else []
    if not found:
        pytest.skip(f"{name} not on this machine (mne-testing-data / mne-python test data; see "
                    "benchmarks/native_files.py)")
    row = script.one_file(found[0], tmp_path)
    assert "error" not in row, row.get("error")
    assert row.get("clipped", 0) == 0
    assert row.get("rise", {"db": 0.0})["db"] <= 1.0, row.get("rise")
    if (row["eeg_positioned"] or 0) >= 8:
        assert row["changed"] > 0 and "multichannel" in row["model"]
    assert "Traceback" not in row["cli"] and "File \"" not in row["cli"]
