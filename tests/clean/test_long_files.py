"""Recordings of any length: chunked cleaning equals whole-signal cleaning, reads stay bounded, EDF/BDF are
rewritten in place (header and untouched signals byte for byte), EDF+D gaps and mixed rates are respected."""

import edfio
import mne
import numpy as np
import pytest

from eegrecon import Denoiser
from eegrecon.clean.files import clean_file
from eegrecon.io.edf_layout import read_edf_layout, record_gaps


def _signals(sfreq, seconds, n=3, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(int(sfreq * seconds)) / sfreq
    x = 20 * rng.standard_normal((n, len(t))) + 15 * np.sin(2 * np.pi * 10 * t)
    x[0] += 150 * np.exp(-((t % 7.0) - 3.0) ** 2 / 0.05)  # blink-like bumps
    x[1] += 8 * np.sin(2 * np.pi * 50 * t)  # mains
    return x


@pytest.mark.parametrize("sfreq", [256.0, 250.0, 160.0, 1000.0])
@pytest.mark.parametrize("line_freq, above_band", [(None, "keep"), (50.0, "lowpass")])
def test_chunked_equals_whole_signal(sfreq, line_freq, above_band, small_checkpoint):
    x = _signals(sfreq, 45.0)
    kw = dict(model=str(small_checkpoint), line_freq=line_freq, above_band=above_band, rise_limit_db=None)
    whole = Denoiser(chunk_s=None, **kw).fit().transform(x, sfreq=sfreq)
    chunked = Denoiser(chunk_s=6.0, **kw).fit().transform(x, sfreq=sfreq)
    assert not np.allclose(whole, x), "the model must change something for the comparison to mean anything"
    # bit-identical except the FFT-based low-pass, whose rounding depends on the segment length
    np.testing.assert_allclose(chunked, whole, rtol=0, atol=1e-12 * x.std())


def test_reads_are_bounded_by_the_chunk(tmp_path, small_checkpoint):
    sfreq = 250.0
    info = mne.create_info(["Fz", "Cz", "Pz"], sfreq, "eeg")
    mne.io.RawArray(_signals(sfreq, 150.0) * 1e-6, info, verbose="error").save(tmp_path / "r_raw.fif",
                                                                                verbose="error")
    raw = mne.io.read_raw_fif(tmp_path / "r_raw.fif", preload=False, verbose="error")
    spans = []
    original = raw.get_data

    def spy(*args, start=0, stop=None, **kwargs):
        spans.append((stop if stop is not None else raw.n_times) - start)
        return original(*args, start=start, stop=stop, **kwargs)

    raw.get_data = spy
    den = Denoiser(str(small_checkpoint), chunk_s=10.0, rise_limit_db=None).fit()
    blocks = list(den.iter_raw(raw))
    assert not raw.preload and den.report_["line_noise"]["notched_hz"] == 50.0
    chunk, margin, quantum = den.chunk_plan(sfreq, raw.n_times)
    bound = chunk + 2 * (-(-margin // quantum) * quantum)  # the chunk and its context (notch settling included)
    assert max(spans) <= bound < 0.3 * raw.n_times, f"a read of {max(spans)} samples is not bounded by the chunk"
    assert [b[0] for b in blocks] == sorted(b[0] for b in blocks) and blocks[-1][1] == raw.n_times
    whole = Denoiser(str(small_checkpoint), chunk_s=None, rise_limit_db=None).fit().transform(
        mne.io.read_raw_fif(tmp_path / "r_raw.fif", preload=True, verbose="error")).get_data()
    np.testing.assert_array_equal(np.concatenate([b[2] for b in blocks], axis=1), whole)


def test_boundary_annotation_splits_the_recording(small_checkpoint):
    sfreq = 256.0
    x = _signals(sfreq, 20.0) * 1e-6
    raw = mne.io.RawArray(x, mne.create_info(["Fz", "Cz", "Pz"], sfreq, "eeg"), verbose="error")
    raw.set_annotations(mne.Annotations([8.0], [0.0], ["BAD boundary"]))
    den = Denoiser(str(small_checkpoint), line_freq=50.0).fit()  # mains is decided per recording: fix it here
    out = den.transform(raw).get_data()
    cut = int(8.0 * sfreq)
    parts = [den.transform(x[:, :cut], sfreq=sfreq, time_axis=-1), den.transform(x[:, cut:], sfreq=sfreq)]
    np.testing.assert_allclose(out, np.concatenate(parts, axis=1), rtol=0, atol=1e-12 * x.std())
    assert den.transform(raw) is not None and den.report_["segments"] == 2


def _write_edf(path, data_uv, sfreqs, labels, record_s=1.0, annotations=None):
    signals = [edfio.EdfSignal(d, s, label=lab, physical_dimension="uV", physical_range=(-1000.0, 1000.0))
               for d, s, lab in zip(data_uv, sfreqs, labels)]
    edfio.Edf(signals, data_record_duration=record_s, annotations=annotations).write(path)


def test_edf_rewritten_in_place_header_and_other_signals_kept(tmp_path, small_checkpoint):
    sfreq = 256.0
    x = _signals(sfreq, 40.0, n=4)
    _write_edf(tmp_path / "rec.edf", x, [sfreq] * 4, ["Fp1", "Fp2", "Cz", "EOG left"])
    res = clean_file(tmp_path / "rec.edf", tmp_path / "out", model=str(small_checkpoint), chunk_s=7.0,
                     rise_limit_db=None)
    src, out = (tmp_path / "rec.edf").read_bytes(), res.output.read_bytes()
    lay = read_edf_layout(tmp_path / "rec.edf")
    assert res.output.suffix == ".edf" and len(out) == len(src)
    assert out[:lay.header_bytes] == src[:lay.header_bytes], "the header is kept byte for byte"
    assert res.report["not_eeg_by_name"] == ["EOG left"]
    back = mne.io.read_raw_edf(res.output, preload=True, verbose="error")
    orig = mne.io.read_raw_edf(tmp_path / "rec.edf", preload=True, verbose="error")
    np.testing.assert_array_equal(back.get_data(picks=["EOG left"]), orig.get_data(picks=["EOG left"]))
    expected = Denoiser(str(small_checkpoint), chunk_s=None, rise_limit_db=None).fit().transform(orig)
    lsb = 2000e-6 / 65535  # one digital step of the ±1000 µV, 16-bit range
    diff = np.abs(back.get_data(picks=["Fp1", "Fp2", "Cz"]) - expected.get_data(picks=["Fp1", "Fp2", "Cz"]))
    assert diff.max() <= 0.51 * lsb, "chunked, rewritten EDF equals whole-file cleaning up to 16-bit rounding"
    assert not np.allclose(back.get_data(picks="Fp1"), orig.get_data(picks="Fp1"))


def test_bdf_stays_bdf_with_24_bit_resolution(tmp_path, small_checkpoint):
    sfreq = 256.0
    x = _signals(sfreq, 12.0)
    _write_edf(tmp_path / "a.edf", x, [sfreq] * 3, ["Fz", "Cz", "Pz"])
    # turn the 16-bit EDF into a 24-bit BDF with the same header fields
    raw = mne.io.read_raw_edf(tmp_path / "a.edf", preload=True, verbose="error")
    _bdf_from(raw, tmp_path / "a.bdf")
    res = clean_file(tmp_path / "a.bdf", tmp_path / "out", model=str(small_checkpoint))
    assert res.output.suffix == ".bdf" and res.output.read_bytes()[:8] == b"\xffBIOSEMI"
    back = mne.io.read_raw_bdf(res.output, preload=True, verbose="error")
    expected = Denoiser(str(small_checkpoint)).fit().transform(mne.io.read_raw_bdf(tmp_path / "a.bdf",
                                                                                   preload=True, verbose="error"))
    step = 2000e-6 / (2 ** 24 - 1)
    assert np.abs(back.get_data() - expected.get_data()).max() <= 0.51 * step


def _bdf_from(raw, path):
    """A minimal BDF (24-bit) file with raw's channels, ±1000 µV, 1-s records."""
    n_sig, sfreq = len(raw.ch_names), int(raw.info["sfreq"])
    n_rec = raw.n_times // sfreq
    dmin, dmax = -(2 ** 23), 2 ** 23 - 1

    def fld(values, size):
        return b"".join(str(v).ljust(size)[:size].encode("latin-1") for v in values)

    head = (b"\xffBIOSEMI" + fld(["X"], 80) + fld(["X"], 80) + b"01.01.01" + b"00.00.00"
            + fld([256 * (n_sig + 1)], 8) + fld(["24BIT"], 44) + fld([n_rec], 8) + fld([1], 8) + fld([n_sig], 4))
    sig = (fld(raw.ch_names, 16) + fld([""] * n_sig, 80) + fld(["uV"] * n_sig, 8) + fld([-1000] * n_sig, 8)
           + fld([1000] * n_sig, 8) + fld([dmin] * n_sig, 8) + fld([dmax] * n_sig, 8) + fld([""] * n_sig, 80)
           + fld([sfreq] * n_sig, 8) + fld([""] * n_sig, 32))
    data = raw.get_data()[:, :n_rec * sfreq] * 1e6
    digital = np.round((data + 1000) / 2000 * (dmax - dmin) + dmin).astype("<i4")
    records = digital.reshape(n_sig, n_rec, sfreq).transpose(1, 0, 2)
    body = records.astype("<i4").view(np.uint8).reshape(n_rec, n_sig, sfreq, 4)[..., :3].tobytes()
    path.write_bytes(head + sig + body)


def test_edf_plus_d_gap_is_a_boundary(tmp_path, small_checkpoint):
    sfreq = 128.0
    x = _signals(sfreq, 30.0, n=2)
    _write_edf(tmp_path / "c.edf", x, [sfreq] * 2, ["C3", "C4"], annotations=[edfio.EdfAnnotation(0.5, None, "go")])
    # make it EDF+D with a 100-s gap before record 12: patch the reserved field and that record's time stamps
    lay = read_edf_layout(tmp_path / "c.edf")
    raw_bytes = bytearray((tmp_path / "c.edf").read_bytes())
    raw_bytes[192:197] = b"EDF+D"
    tal = lay.annotation_signals[0]
    for rec in range(12, lay.n_records):
        start = lay.header_bytes + rec * lay.record_bytes + lay.offset(tal)
        size = int(lay.spr[tal]) * lay.width
        stamp = f"+{rec + 100}\x14\x14\x00".encode().ljust(size, b"\x00")
        raw_bytes[start:start + size] = stamp
    (tmp_path / "d.edf").write_bytes(bytes(raw_bytes))
    assert record_gaps(read_edf_layout(tmp_path / "d.edf")) == [12]
    res = clean_file(tmp_path / "d.edf", tmp_path / "out", model=str(small_checkpoint))
    assert res.report["segments"] == 2
    orig = mne.io.read_raw_edf(tmp_path / "d.edf", preload=True, verbose="error")
    back = mne.io.read_raw_edf(res.output, preload=True, verbose="error")
    cut = 12 * int(sfreq)
    den = Denoiser(str(small_checkpoint), line_freq=res.report["line_noise"]["notched_hz"]).fit()
    data = orig.get_data()
    parts = np.concatenate([den.transform(data[:, :cut], sfreq=sfreq), den.transform(data[:, cut:], sfreq=sfreq)],
                           axis=1)
    lsb = 2000e-6 / 65535
    assert np.abs(back.get_data() - parts).max() <= 0.51 * lsb, "each side of the gap is cleaned on its own"


def test_mixed_rate_edf_leaves_the_slower_channel_untouched(tmp_path, small_checkpoint):
    x = _signals(256.0, 20.0, n=2)
    slow = _signals(128.0, 20.0, n=2, seed=3)[0]
    _write_edf(tmp_path / "m.edf", [x[0], x[1], slow], [256.0, 256.0, 128.0], ["Fz", "Cz", "Pz"])
    res = clean_file(tmp_path / "m.edf", tmp_path / "out", model=str(small_checkpoint))
    assert "Pz" in res.report["excluded"] and "128 Hz" in res.report["excluded"]["Pz"]
    assert res.report["channels"] == ["Fz", "Cz"]
    lay = read_edf_layout(tmp_path / "m.edf")
    src, out = (tmp_path / "m.edf").read_bytes(), res.output.read_bytes()
    pz = lay.labels.index("Pz")
    for rec in range(lay.n_records):
        a = lay.header_bytes + rec * lay.record_bytes + lay.offset(pz)
        b = a + int(lay.spr[pz]) * lay.width
        assert out[a:b] == src[a:b]


def _write_brainvision(folder, data_v, sfreq, names, fmt, orientation, resolution_uv=0.1):
    dtype = {"INT_16": "<i2", "IEEE_FLOAT_32": "<f4"}[fmt]
    stored = data_v / (resolution_uv * 1e-6)
    if fmt == "INT_16":
        stored = np.clip(np.round(stored), -32768, 32767)
    stored = stored.astype(dtype)
    (folder / "b.eeg").write_bytes((stored.T if orientation == "MULTIPLEXED" else stored).tobytes())
    chans = "\n".join(f"Ch{i + 1}={n},,{resolution_uv},µV" for i, n in enumerate(names))
    (folder / "b.vhdr").write_text(
        "Brain Vision Data Exchange Header File Version 1.0\n\n[Common Infos]\nCodepage=UTF-8\nDataFile=b.eeg\n"
        f"MarkerFile=b.vmrk\nDataFormat=BINARY\nDataOrientation={orientation}\nNumberOfChannels={len(names)}\n"
        f"SamplingInterval={1e6 / sfreq}\n\n[Binary Infos]\nBinaryFormat={fmt}\n\n[Channel Infos]\n{chans}\n\n"
        "[Comment]\nkept verbatim\n", encoding="utf-8")
    (folder / "b.vmrk").write_text(
        "Brain Vision Data Exchange Marker File, Version 1.0\n\n[Common Infos]\nCodepage=UTF-8\nDataFile=b.eeg\n\n"
        "[Marker Infos]\nMk1=New Segment,,1,1,0\nMk2=Stimulus,S  1,500,1,0\n", encoding="utf-8")
    return folder / "b.vhdr"


@pytest.mark.parametrize("fmt, orientation", [("IEEE_FLOAT_32", "MULTIPLEXED"), ("INT_16", "VECTORIZED")])
def test_brainvision_rewritten_in_place(tmp_path, small_checkpoint, fmt, orientation):
    sfreq = 500.0
    x = _signals(sfreq, 30.0) * 1e-6
    vhdr = _write_brainvision(tmp_path, x, sfreq, ["Fz", "Cz", "VEOG"], fmt, orientation)
    res = clean_file(vhdr, tmp_path / "out", model=str(small_checkpoint), chunk_s=7.0, rise_limit_db=None)
    out = res.output
    assert out.name == "b_clean.vhdr" and sorted(p.name for p in out.parent.iterdir()) == [
        "b_clean.eeg", "b_clean.vhdr", "b_clean.vmrk"]
    assert "DataFile=b_clean.eeg" in out.read_text() and "MarkerFile=b_clean.vmrk" in out.read_text()
    assert "kept verbatim" in out.read_text() and "S  1" in out.with_suffix(".vmrk").read_text()
    orig = mne.io.read_raw_brainvision(vhdr, preload=True, verbose="error")
    back = mne.io.read_raw_brainvision(out, preload=True, verbose="error")
    np.testing.assert_array_equal(back.get_data(picks=["VEOG"]), orig.get_data(picks=["VEOG"]))
    expected = Denoiser(str(small_checkpoint), chunk_s=None, rise_limit_db=None).fit().transform(orig).get_data(
        picks=["Fz", "Cz"])
    step = 0.1e-6 if fmt == "INT_16" else 1e-6 * x.std()
    assert np.abs(back.get_data(picks=["Fz", "Cz"]) - expected).max() <= 0.51 * step
    assert not np.allclose(back.get_data(picks="Fz"), orig.get_data(picks="Fz"))
