"""Hypothesis strategies for what users pass to ``Denoiser.transform``, and the property every input must satisfy.

Shared by tests/clean/test_fuzz.py (≥ 500 examples in the suite) and benchmarks/experiments/fuzz_denoiser.py (≥ 10,000).
"""

from __future__ import annotations

import warnings

import mne
import numpy as np
from hypothesis import strategies as st

from eegrecon.errors import EegreconError

RATES = st.one_of(st.sampled_from([1.0, 32.0, 100.0, 128.0, 160.0, 250.0, 256.0, 500.0, 512.0, 1000.0, 2048.0,
                                   1e4]), st.floats(0.5, 5000.0, allow_nan=False))
DTYPES = st.sampled_from(["float64", "float32", "int16", "int32", "bool"])


@st.composite
def signals(draw, n_rows: int, n_times: int) -> np.ndarray:
    """(n_rows, n_times) values: noise at a drawn scale, with constants, steps, spikes, zeros or non-finite."""
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([1e-12, 1e-6, 1e-5, 1.0, 50.0, 1e4, 1e7]))
    x = scale * rng.standard_normal((n_rows, n_times))
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.integers(0, n_rows - 1))
        kind = draw(st.sampled_from(["constant", "zero", "spike", "step", "nan", "inf", "clip"]))
        if kind == "constant":
            x[row] = draw(st.floats(-1e6, 1e6, allow_nan=False))
        elif kind == "zero":
            x[row] = 0.0
        elif kind == "spike":
            x[row, draw(st.integers(0, n_times - 1))] = 1e3 * scale
        elif kind == "step":
            x[row, n_times // 2:] += 20 * scale
        elif kind == "clip":
            x[row] = np.clip(x[row], -0.5 * scale, 0.5 * scale)
        else:
            x[row, draw(st.integers(0, n_times - 1))] = np.nan if kind == "nan" else np.inf
    return x


@st.composite
def arrays(draw):
    """(kwargs for transform, description): 1-D, 2-D or 3-D arrays of any dtype, with or without time_axis."""
    ndim = draw(st.integers(1, 3))
    n_times = draw(st.integers(1, 700))
    lead = [draw(st.integers(0 if ndim == 2 and draw(st.booleans()) else 1, 4)) for _ in range(ndim - 1)]
    rows = int(np.prod(lead)) if lead else 1
    data = draw(signals(max(rows, 1), n_times))[:rows].reshape(*lead, n_times)
    dtype = draw(DTYPES)
    with np.errstate(invalid="ignore", over="ignore"):
        data = data.astype(dtype) if dtype != "bool" else data > 0
    kwargs = {"sfreq": draw(RATES)}
    if ndim > 1 and draw(st.booleans()):
        axis = draw(st.sampled_from([-1, 0] if ndim == 2 else [-1, 2]))
        kwargs["time_axis"] = axis
        if axis == 0:
            data = np.ascontiguousarray(np.moveaxis(data, -1, 0))
    return data, kwargs


@st.composite
def raws(draw):
    """A RawArray in volts with drawn channel types, bads and annotations (bad_ spans, boundaries)."""
    n_ch = draw(st.integers(1, 5))
    sfreq = draw(st.sampled_from([100.0, 128.0, 160.0, 250.0, 256.0, 500.0, 1000.0]))
    n_times = draw(st.integers(2, int(8 * sfreq)))
    data = draw(signals(n_ch, n_times))
    types = [draw(st.sampled_from(["eeg", "eeg", "eeg", "eog", "ecg", "misc"])) for _ in range(n_ch)]
    names = [draw(st.sampled_from(["Fz", "Cz", "EOG left", "ECG", "Ref", "X"])) + f"-{i}" for i in range(n_ch)]
    raw = mne.io.RawArray(data, mne.create_info(names, sfreq, types), verbose="error")
    raw.info["bads"] = [n for n in names if draw(st.booleans()) and draw(st.booleans())]
    anns = []
    for _ in range(draw(st.integers(0, 3))):
        onset = draw(st.floats(0, n_times / sfreq))
        desc = draw(st.sampled_from(["BAD_move", "bad blink", "BAD boundary", "EDGE boundary", "T0"]))
        anns.append((onset, 0.0 if "boundary" in desc else draw(st.floats(0, 3)), desc))
    if anns:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # annotations past the end are cropped by MNE, as they would be for users
            raw.set_annotations(mne.Annotations(*zip(*anns)))
    return raw


@st.composite
def epochs(draw):
    """EpochsArray of many short epochs (with a baseline)."""
    n_ep, n_ch = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    sfreq = draw(st.sampled_from([100.0, 160.0, 256.0, 500.0]))
    n_times = draw(st.integers(2, int(3 * sfreq)))
    data = draw(signals(n_ep * n_ch, n_times)).reshape(n_ep, n_ch, n_times)
    info = mne.create_info([f"E{i}" for i in range(n_ch)], sfreq, "eeg")
    tmin = -0.2 if n_times > 0.3 * sfreq else 0.0
    baseline = (None, 0) if tmin < 0 and draw(st.booleans()) else None
    return mne.EpochsArray(data, info, tmin=tmin, baseline=baseline, verbose="error")


INPUTS = st.one_of(arrays(), raws().map(lambda r: (r, {})), epochs().map(lambda e: (e, {})))


def check_transform(den, X, kwargs) -> str:
    """Transform ``X``; the package's own error, or a finite output of the input's type and shape with the input
    unchanged. Returns ``"ok"`` or the error class name; anything else raises AssertionError."""
    before = X.get_data() if hasattr(X, "get_data") else np.array(X, copy=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = den.transform(X, **kwargs)
    except EegreconError as exc:
        assert str(exc), "a package error must say what is wrong"
        outcome = type(exc).__name__
    else:
        outcome = "ok"
        assert type(out) is type(X), f"{type(X).__name__} in, {type(out).__name__} out"
        got = out.get_data() if hasattr(out, "get_data") else out
        assert got.shape == before.shape, f"shape {before.shape} in, {got.shape} out"
        finite_in = np.isfinite(np.asarray(before, dtype=np.float64))
        assert np.isfinite(np.asarray(got, dtype=np.float64))[finite_in].all(), "non-finite output"
    after = X.get_data() if hasattr(X, "get_data") else X
    assert np.array_equal(np.asarray(after), np.asarray(before), equal_nan=True), "the input was modified"
    return outcome
