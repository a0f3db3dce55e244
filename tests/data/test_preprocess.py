import numpy as np
import pytest

from eegrecon.data.preprocess import FilterSpec, make_windows, preprocess, reject_windows
from eegrecon.signal.filters import bandpass, notch, resample


def _sine(f, sfreq=500.0, dur=10.0, amp=1.0):
    t = np.arange(int(sfreq * dur)) / sfreq
    return amp * np.sin(2 * np.pi * f * t)


def _amplitude_at(x, sfreq, f):
    spec = np.abs(np.fft.rfft(x)) / len(x) * 2
    return spec[np.argmin(np.abs(np.fft.rfftfreq(len(x), 1 / sfreq) - f))]


def test_bandpass_keeps_passband_and_removes_stopband():
    x = _sine(10) + _sine(0.1) + _sine(150)
    y = bandpass(x, 500.0, 1.0, 80.0)
    mid = slice(1000, -1000)
    assert _amplitude_at(y[mid], 500, 10) == pytest.approx(1.0, abs=0.05)
    assert _amplitude_at(y[mid], 500, 150) < 0.01
    assert np.abs(y[mid]).max() < 1.2


def test_notch_removes_mains_and_harmonics_only():
    x = _sine(50) + _sine(100) + _sine(20)
    y = notch(x, 500.0, 50.0)[500:-500]
    assert _amplitude_at(y, 500, 50) < 0.02 and _amplitude_at(y, 500, 100) < 0.02
    assert _amplitude_at(y, 500, 20) == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("src,dst", [(500.0, 256.0), (128.0, 256.0), (1000.0 / 12.0, 256.0), (360.0, 256.0)])
def test_resample_rate_and_frequency(src, dst):
    x = _sine(7.0, src, 20.0)
    y = resample(x, src, dst)
    assert abs(len(y) - len(x) * dst / src) <= 1
    mid = y[int(dst):-int(dst)]
    freqs = np.fft.rfftfreq(len(mid), 1 / dst)
    assert freqs[np.argmax(np.abs(np.fft.rfft(mid)))] == pytest.approx(7.0, abs=0.1)


def test_preprocess_output_rate():
    y = preprocess(_sine(10, 500.0, 4.0), 500.0, 256.0, FilterSpec())
    assert y.shape == (1024,)


def test_make_windows_counts_and_overlap():
    x = np.arange(2000, dtype=float)
    w = make_windows(x, 512)
    assert w.shape == (3, 512) and w[1, 0] == 512
    w2 = make_windows(x, 512, overlap=0.5)
    assert w2.shape == (6, 512) and w2[1, 0] == 256
    assert make_windows(x[:100], 512).shape == (0, 512)
    with pytest.raises(ValueError):
        make_windows(x, 512, overlap=1.0)


def test_reject_windows_flat_nonfinite_and_amplitude():
    w = np.random.default_rng(0).standard_normal((4, 64))
    w[1] = 0.0
    w[2, 5] = np.nan
    w[3] *= 1000
    assert reject_windows(w).tolist() == [True, False, False, True]
    assert reject_windows(w, max_abs=100).tolist() == [True, False, False, False]
