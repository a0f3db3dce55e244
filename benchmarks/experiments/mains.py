"""EMG with its real mains left in vs the same EMG notched: does a single-channel model break on line noise?

    python benchmarks/experiments/mains.py [--model eegrecon_net --model LABEL=CHECKPOINT ...] [--windows 300]

Artifacts: the Glasgow jaw-clench EMG of the test subjects (recorded in the UK: 50-Hz mains, 25–29 dB above the
neighbouring spectrum), preprocessed twice from the same samples, with and without the source's 50-Hz notch (band
20–120 Hz both times), cut into the same 2-s windows. Clean: eegmat test windows. EEGdenoiseNet protocol: λ is set
from the notched EMG at each SNR (−7..2 dB, RMS ratio) and used for both, so the two cases hold the same muscle
activity and differ only by the mains left in; every window divided by its noisy std. The model sees the windows
directly (the Denoiser would notch detected mains first; this measures the model alone).

Writes benchmarks/results/mains.md (CC and RRMSE_t per model, with and without mains, and the difference).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from eegrecon.data.corpus import DataConfig, build_corpus
from eegrecon.data.multichannel import source_split
from eegrecon.data.pairs import normalised_pairs, scale_for_snr
from eegrecon.data.preprocess import make_windows, preprocess
from eegrecon.data.sources import SOURCES
from eegrecon.evaluation import evaluate
from eegrecon.models import DEFAULT_MODEL
from eegrecon.models.pretrained import load_method
from eegrecon.paths import resolve_data_dir

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "benchmarks" / "results" / "mains.md"
SNRS = np.arange(-7.0, 3.0)


def emg_windows(data_dir: Path, sfreq: float, n_times: int) -> tuple[np.ndarray, np.ndarray]:
    """Glasgow test-subject EMG windows, (notched, mains left in), same samples, shape (n, n_times) each."""
    src = SOURCES["glasgow_emg"]
    test = set(source_split(src, data_dir)["groups"]["test"])
    raw_spec = src.filters.model_copy(update={"notch": None})
    notched, raw = [], []
    for seg in src.reader(data_dir):
        if seg.group not in test or seg.data.shape[-1] / seg.sfreq < 4:
            continue
        x = seg.data - np.median(seg.data)
        notched.append(make_windows(preprocess(x, seg.sfreq, sfreq, src.filters), n_times))
        raw.append(make_windows(preprocess(x, seg.sfreq, sfreq, raw_spec), n_times))
    a, b = np.concatenate(notched), np.concatenate(raw)
    keep = a.std(axis=1) > 1e-3
    return a[keep], b[keep]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", action="append", default=None,
                    help="bundle name or checkpoint, optionally LABEL=... (repeatable)")
    ap.add_argument("--windows", type=int, default=300, help="clean test windows (each at every SNR)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    data_dir = resolve_data_dir(None)
    if data_dir is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    corpus = build_corpus(data_dir, DataConfig())
    clean_all = corpus.clean["test"]
    sfreq, n_times = clean_all.sfreq, clean_all.n_times
    notched, with_mains = emg_windows(data_dir, sfreq, n_times)
    f = np.fft.rfftfreq(n_times, 1 / sfreq)
    spec = np.abs(np.fft.rfft(with_mains, axis=1)) ** 2
    mains_share = float(spec[:, (np.abs(f - 50) <= 1) | (np.abs(f - 100) <= 1)].sum() / spec.sum())
    rng = np.random.default_rng(0)
    ci = rng.choice(len(clean_all), size=args.windows, replace=len(clean_all) < args.windows)
    ai = rng.choice(len(notched), size=args.windows, replace=len(notched) < args.windows)
    clean = np.tile(clean_all.x[ci].astype(np.float64), (len(SNRS), 1))
    a, b = (np.tile(w[ai].astype(np.float64), (len(SNRS), 1)) for w in (notched, with_mains))
    snr = np.repeat(SNRS, args.windows)
    lam = scale_for_snr(clean, a, snr)
    sets = {"EMG notched": normalised_pairs(clean, lam[:, None] * a, snr, "emg", sfreq),
            "same EMG, mains left in": normalised_pairs(clean, lam[:, None] * b, snr, "emg_mains", sfreq)}
    rows = []
    for spec in args.model or [DEFAULT_MODEL]:
        label, _, ref = spec.rpartition("=")
        method = load_method(ref)
        for case, ps in sets.items():
            t = evaluate(method, ps)
            rows.append({"model": label or ref, "case": case, "cc": t["cc"].mean(), "rrmse_t": t["rrmse_t"].mean(),
                         **{f"cc {s:g} dB": v for s, v in t.groupby("snr")["cc"].mean().items()}})
        print(label or ref, "done", flush=True)
    table = pd.DataFrame(rows)
    lines = ["# EMG with real mains left in vs the same EMG notched (`python benchmarks/experiments/mains.py`)", "",
             f"{args.windows} eegmat test windows × {len(SNRS)} SNRs (−7..2 dB, λ from the notched EMG); Glasgow "
             f"test-subject jaw-clench EMG ({len(notched)} windows); mains (50 ± 1 and 100 ± 1 Hz) = "
             f"{100 * mains_share:.0f} % of the un-notched EMG's power. Target (#11): CC with mains within 0.01 of "
             "CC without.", "", "| model | CC notched | CC mains left in | difference | RRMSE_t notched | "
             "RRMSE_t mains left in |", "|---|---|---|---|---|---|"]
    for ref, part in table.groupby("model", sort=False):
        p = part.set_index("case")
        c0, c1 = p.loc["EMG notched", "cc"], p.loc["same EMG, mains left in", "cc"]
        r0, r1 = p.loc["EMG notched", "rrmse_t"], p.loc["same EMG, mains left in", "rrmse_t"]
        lines.append(f"| {ref} | {c0:.3f} | {c1:.3f} | {c1 - c0:+.3f} | {r0:.3f} | {r1:.3f} |")
    per_snr = [c for c in table.columns if c.endswith(" dB")]
    lines += ["", "CC per SNR (dB, set on the notched EMG):", "", "| model | case | " + " | ".join(per_snr) + " |",
              "|---|---|" + "---|" * len(per_snr)]
    lines += [f"| {r['model']} | {r['case']} | " + " | ".join(f"{r[c]:.3f}" for c in per_snr) + " |"
              for _, r in table.iterrows()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
