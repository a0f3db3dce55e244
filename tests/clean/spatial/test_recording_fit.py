"""The recording-level fit: topographies pooled over chunks, a known topography removed, chunking nearly irrelevant."""

import warnings

import mne
import numpy as np

from eegrecon import Denoiser
from eegrecon.clean.spatial.artifact_sources import clean_in_source_space, fit_sources, source_sums
from eegrecon.clean.spatial.recording_fit import FIT_CHUNKS, TopographyPool

SFREQ = 256.0
EVENTS_S = np.array([5.0, 13.0, 24.0, 41.0, 52.0, 97.0, 131.5])  # uneven: some chunks hold none


def _blinks(n_chans=8, n=8000, seed=0):
    """Brain-like noise plus blinks along pattern ``p``; the "network" removes them along a pattern ``q`` with the
    right shape near the eyes but too little far from them (what the network does on real recordings)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SFREQ
    course = sum(120 * np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in np.arange(1.0, t[-1] - 0.5, 2.5))
    p = np.array([1.0, 0.9, 0.6, 0.5, 0.3, 0.2, 0.1, 0.05])[:n_chans]
    p -= p.mean()
    q = p * np.where(np.abs(p) > 0.3, 1.0, 0.4)
    q -= q.mean()  # the network removes in average reference
    x = rng.normal(0, 10, (n_chans, n)) + np.outer(p, course)
    x -= x.mean(axis=0)
    return x, x - np.outer(q, course), p, q


def test_pooled_sums_give_the_fit_over_the_whole_stretch_and_the_input_fixes_the_pattern():
    x, y, p, q = _blinks()
    pool = TopographyPool(1)
    for a, b in ((0, 3000), (3000, 8000)):
        pool.add(x[:, a:b], y[:, a:b])
    fitted = pool.model()
    whole = fit_sources(source_sums(x, y, 1), 1)
    np.testing.assert_allclose(np.abs(fitted.topographies.T @ whole.topographies), 1.0, atol=1e-9)
    np.testing.assert_allclose(fitted.filters @ fitted.patterns, np.eye(1), atol=1e-9)
    cos = lambda a, b: abs(a @ b) / np.linalg.norm(a) / np.linalg.norm(b)  # noqa: E731
    assert cos(fitted.topographies[:, 0], q) > 0.999  # the network's removal gives its own spread ...
    assert cos(fitted.patterns[:, 0], p) > 0.999 > cos(q, p) + 0.01  # ... the input during events the blink's


def test_the_refined_pattern_removes_more_of_the_blink_than_the_removal_topography():
    x, y, p, _ = _blinks(seed=1)
    brain = x - np.outer(p, np.linalg.lstsq(p[:, None], x, rcond=None)[0][0])  # not used by the cleaner
    identity = lambda c: np.zeros_like(c)  # noqa: E731 — every course all artifact where it is an event
    out = clean_in_source_space(x, y, 1, identity, SFREQ)
    err_network = np.sqrt(np.mean((y - brain) ** 2))
    assert np.sqrt(np.mean((out - brain) ** 2)) < 0.8 * err_network


def test_too_little_removal_fits_nothing():
    pool = TopographyPool(2)
    assert pool.model() is None
    x = np.random.default_rng(1).normal(size=(6, 300))
    pool.add(x, x.copy())
    assert pool.model() is None


def _injected(shared_data):
    from eegrecon.data.multichannel import read_eegmat_recordings, recording_splits
    from eegrecon.data.topography import TopographyBank

    rec = recording_splits(read_eegmat_recordings(shared_data), shared_data)["test"][0]
    clean = rec.data[:, : int(150 * SFREQ)].astype(np.float64)
    vertical, _ = TopographyBank.build(rec.pos, seed=7).eye(np.random.default_rng(0))
    t = np.arange(clean.shape[1]) / SFREQ
    course = sum(200 * np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in EVENTS_S)
    names = [{"T3": "T7", "T4": "T8", "T5": "P7", "T6": "P8"}.get(n, n) for n in rec.ch_names]
    noisy = clean + np.outer(vertical, course)
    raw = mne.io.RawArray(noisy * 1e-6, mne.create_info(names, SFREQ, "eeg"), verbose="error")
    return clean, noisy, vertical / np.linalg.norm(vertical), raw


def _clean(raw, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        den = Denoiser(line_freq=None, **options).fit()
        return den.transform(raw).get_data() * 1e6, den.report_


def test_a_known_topography_injected_into_a_real_recording_is_removed_and_the_rest_kept(shared_data):
    clean, noisy, pattern, raw = _injected(shared_data)
    out, report = _clean(raw)
    assert report["recording_fit"] == {"chunks": 2, "of": 2, "topographies": 2}
    peaks = (EVENTS_S * SFREQ).astype(int)
    left = np.abs(pattern @ (out - clean))[peaks] / np.abs(pattern @ (noisy - clean))[peaks]
    assert left.max() < 0.05  # measured 0.015–0.032
    per_chunk, _ = _clean(raw, recording_fit=False)
    assert np.sqrt(np.mean((out - clean) ** 2)) < 0.7 * np.sqrt(np.mean((per_chunk - clean) ** 2))
    untouched = _clean(raw, artifact_sources=0)[0] == noisy  # where the network's gate stayed closed
    assert untouched.mean() > 0.2
    np.testing.assert_array_equal(out[untouched], noisy[untouched])


def test_chunked_and_whole_file_results_agree_with_the_recording_fit(shared_data):
    """docs/multichannel.md: chunked and whole-file outputs differ by about 1 % of what is removed (30-s chunks, all
    pooled before cleaning), 3 % with 15 chunks (the last 7 joining the pool as they are cleaned)."""
    _, noisy, _, raw = _injected(shared_data)
    whole, _ = _clean(raw, chunk_s=None)
    removed = np.sqrt(np.mean((whole - noisy) ** 2))
    chunked, report = _clean(raw, chunk_s=30.0)
    assert report["recording_fit"]["chunks"] == 5
    assert np.sqrt(np.mean((chunked - whole) ** 2)) < 0.02 * removed  # measured 0.010 (per chunk: 0.125)
    per_chunk, _ = _clean(raw, chunk_s=30.0, recording_fit=False)
    assert np.sqrt(np.mean((per_chunk - whole) ** 2)) > 5 * np.sqrt(np.mean((chunked - whole) ** 2))
    # more chunks than the pre-pass pools: the later ones join the pool as they are cleaned
    many, report = _clean(raw, chunk_s=10.0)
    assert report["recording_fit"]["chunks"] == report["recording_fit"]["of"] == 15 > FIT_CHUNKS
    assert np.sqrt(np.mean((many - whole) ** 2)) < 0.05 * removed  # measured 0.031
