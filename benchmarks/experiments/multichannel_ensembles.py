"""Seed ensembles and repeated passes of the multichannel model on real eegmmidb blinks (no ground truth).

    python benchmarks/experiments/multichannel_ensembles.py --members LABEL=CHECKPOINT [LABEL=CHECKPOINT ...]
                                                [--passes 3] [--out benchmarks/results/multichannel_ensembles.md]

On eegmmidb S001 R01–R04, prepared and scored as ``real_data.py --multichannel`` does (blink-section delta change
at Fp1/Fpz/Fp2, every band's change outside blinks), rows for: each member alone (the shipped bundle is
``eegrecon_mc``), the mean of the first two members' outputs, the mean of all members' outputs (an ensemble
costs one network per member), and the first member applied again to its own output up to ``--passes`` times
(does what one pass leaves look like artifact to a second?). The ground-truth side of the ensembles is
``pretrained_multichannel.py --validate ... --ensemble``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/common.py
from common import blink_and_harm, prepared_eegmmidb

from eegrecon import Denoiser
from eegrecon.paths import resolve_data_dir
from eegrecon.report import to_markdown

ROOT = Path(__file__).resolve().parents[2]
RUNS = ("R01", "R02", "R03", "R04")


def _clean(den: Denoiser, raw) -> tuple[object, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = den.transform(raw)
    y = out.get_data() * 1e6
    return out, y - y.mean(axis=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--members", nargs="+", required=True, help="LABEL=CHECKPOINT (or a bundle name)")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "multichannel_ensembles.md")
    args = ap.parse_args()
    data_dir = resolve_data_dir(None)
    if data_dir is None:
        raise SystemExit("needs eegmmidb S001: ../shared/data or $EEGRECON_DATA")
    members = dict(m.split("=", 1) for m in args.members)
    dens = {label: Denoiser(ckpt, line_freq=None).fit() for label, ckpt in members.items()}
    labels = list(dens)
    rows = []
    for run in RUNS:
        rec = prepared_eegmmidb(data_dir, run)
        outs = {label: _clean(den, rec["raw"]) for label, den in dens.items()}
        variants = {label: outs[label][1] for label in labels}
        if len(labels) > 2:
            variants[f"mean of {labels[0]} and {labels[1]}"] = (outs[labels[0]][1] + outs[labels[1]][1]) / 2
        if len(labels) > 1:
            variants[f"mean of all {len(labels)}"] = sum(outs[label][1] for label in labels) / len(labels)
        current = outs[labels[0]][0]
        for k in range(2, args.passes + 1):
            current, y = _clean(dens[labels[0]], current)
            variants[f"{labels[0]}, {k} passes"] = y
        for name, y in variants.items():
            rows.append({"run": run, "method": name, **blink_and_harm(y, rec)})
        print(run, "done", flush=True)
    table = pd.DataFrame(rows)
    cols = ["blink delta at Fp dB"] + [c for c in table.columns if c.startswith("outside, all:")]
    mean = table.groupby("method", sort=False)[cols].mean().reset_index()
    text = ["# Multichannel seed ensembles and repeated passes on eegmmidb S001 R01–R04 "
            "(`python benchmarks/experiments/multichannel_ensembles.py`)", "",
            "Members: " + ", ".join(f"{k} = `{v}`" for k, v in members.items()) + ". Prepared and scored as "
            "`real_data.py --multichannel` (60-Hz notch, 0.5-Hz high-pass, average reference; dB = output ÷ input "
            "power, negative = removed; outside blinks every band should stay near 0 dB).", "",
            "## Mean over the four runs", "", to_markdown(mean, ".2f"), "", "## Per run", "",
            to_markdown(table, ".2f"), ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text))
    table.to_csv(args.out.with_suffix(".csv"), index=False)
    print("\n".join(text))


if __name__ == "__main__":
    main()
