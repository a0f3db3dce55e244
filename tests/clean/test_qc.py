"""The QC report: every section for a Raw with and without EOG channels, for the single-channel model (no
topomaps) and for Epochs; and it renders in a real browser."""

import re
import shutil
import subprocess
import warnings

import mne
import numpy as np
import pytest

from eegrecon import Denoiser
from eegrecon.clean.qc import SECTIONS, channel_group

NAMES = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
         "Cz", "Pz"]
SFREQ = 256.0


def _raw(names=NAMES, eog=False, seconds=40.0, seed=0):
    rng = np.random.default_rng(seed)
    n = int(seconds * SFREQ)
    t = np.arange(n) / SFREQ
    blinks = sum(np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in np.arange(1.5, seconds - 1, 3.0))
    frontal = np.array([1.0 if nm.startswith("Fp") else 0.4 if nm.startswith("F") else 0.05 for nm in names])
    data = rng.normal(0, 10, (len(names), n)) + 250 * np.outer(frontal, blinks)
    types = ["eeg"] * len(names)
    if eog:
        data, names, types = np.r_[data, 300 * blinks[None] + rng.normal(0, 5, (1, n))], names + ["VEOG"], \
            types + ["eog"]
    raw = mne.io.RawArray(data * 1e-6, mne.create_info(list(names), SFREQ, types), verbose="error")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw.set_montage("standard_1005", on_missing="ignore", verbose="error")
    return raw


def _cleaned(inst, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        den = Denoiser(line_freq=None, **kw).fit()
        out = den.transform(inst)
        return den, out, den.qc_report(inst, out, title="test")


@pytest.mark.parametrize("eog", [False, True])
def test_a_multichannel_cleaning_gets_every_section(eog):
    raw = _raw(eog=eog)
    den, _, rep = _cleaned(raw)
    assert den.report_["model"]["multichannel"]
    assert set(rep.tags) >= set(SECTIONS)


def test_the_report_names_what_it_shows_and_saves_one_file(tmp_path):
    raw = _raw(eog=True)
    _, _, rep = _cleaned(raw)
    path = tmp_path / "rec_report.html"
    rep.save(path, open_browser=False, verbose="error")
    text = path.read_text()
    for title in ("Summary", "Artifact map", "Most-corrected stretch 1", "Spectra before and after",
                  "Topographies of what was removed", "eegrecon_mc", "largest power rise", "frontal"):
        assert title in text
    assert len(re.findall(r"<img ", text)) >= 4  # artifact map, stretches, spectra, topomaps: all embedded


def test_the_single_channel_model_and_epochs_get_the_report_without_topomaps():
    raw = _raw(names=[f"E{i}" for i in range(6)])  # no positions: the single-channel model
    den, _, rep = _cleaned(raw)
    assert not den.report_["model"]["multichannel"]
    assert set(rep.tags) >= set(SECTIONS) - {"topomaps"} and "topomaps" not in rep.tags
    epochs = mne.make_fixed_length_epochs(_raw(), 4.0, verbose="error")
    den, out, rep = _cleaned(epochs)
    assert isinstance(out, mne.BaseEpochs) and set(rep.tags) >= set(SECTIONS)


def test_channel_groups_follow_standard_names():
    assert [channel_group(n) for n in ("Fp1", "AF3", "FC5", "C3", "T8", "TP7", "CP1", "P4", "PO8", "Oz", "Iz",
                                       "E12")] == ["frontal", "frontal", "central", "central", "temporal",
                                                   "temporal", "parietal", "parietal", "occipital", "occipital",
                                                   "occipital", "other"]


@pytest.mark.slow
def test_the_report_renders_in_a_real_browser(tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium): the browser check needs one")
    _, _, rep = _cleaned(_raw(eog=True))
    path = tmp_path / "rec_report.html"
    rep.save(path, open_browser=False, verbose="error")
    res = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
                          "--virtual-time-budget=5000", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    script_errors = [line for line in res.stderr.splitlines()
                     if "CONSOLE" in line and ("Error" in line or "Uncaught" in line)]
    assert script_errors == []
    dom = res.stdout
    n_figures = len(re.findall(r"<img ", path.read_text()))
    assert n_figures >= 4 and len(re.findall(r"<img ", dom)) == n_figures  # every figure made it into the page
    assert "Topographies of what was removed" in dom
