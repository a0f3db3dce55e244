"""What space and time each contribute to removing eye artifacts: the idea behind the artifact-sources step
(eegrecon.clean.spatial.artifact_sources).

    python benchmarks/experiments/source_space.py [--recordings 6] [--seconds 180] [--levels -6 0]
                                      [--course-model LABEL=CHECKPOINT] ... [--out FILE]

On the multichannel benchmark's test draws (eegmat test subjects, real EOG projected onto 19 channels, SNR at the most
contaminated channel; benchmarks/multichannel.py), frontal and other channels' CC against the clean truth for:

- the network's removal alone (``Denoiser(artifact_sources=0)``);
- spatial only: an LCMV beamformer with the true eye topographies (the two strongest spatial components of the true
  artifact) and the clean truth's covariance, cleaned = x − A (W x);
- the same, then the single-channel model (test-time ensemble) cleans the beamformed courses in time,
  cleaned = x − A (s − clean(s));
- the same with the network's topographies and the covariance of what it kept, on every sample (no event gating);
- the Denoiser's default (``artifact_sources=2``: the last, only during events and where the network acted);
- with ``--course-model LABEL=CHECKPOINT`` (repeatable): the Denoiser's default with that single-channel model (a
  checkpoint or run directory) cleaning the source courses instead of the shipped one.

Writes benchmarks/results/source_space.md. Needs ../shared/data.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/common.py
from common import eeg_out, ground_truth_set, labelled_paths, make_raw, scores

from eegrecon import Denoiser
from eegrecon.clean.spatial.artifact_sources import beamformer
from eegrecon.clean.spatial.refit import artifact_topographies
from eegrecon.data.multichannel import contaminate
from eegrecon.method import TestTimeEnsemble
from eegrecon.models.pretrained import load_method

OUT = Path(__file__).resolve().parents[1] / "results" / "source_space.md"
SFREQ = 256.0


def in_source_space(x: np.ndarray, topographies: np.ndarray, background: np.ndarray, clean=None) -> np.ndarray:
    """x minus the beamformed sources (``clean`` None) or minus the artifact ``clean`` finds in them."""
    sources = beamformer(background, topographies) @ x
    artifact = sources if clean is None else sources - clean(sources)
    return x - topographies @ artifact


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--recordings", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=180.0)
    ap.add_argument("--levels", type=float, nargs="*", default=[-6.0, 0.0])
    ap.add_argument("--course-model", action="append", default=[], metavar="LABEL=CHECKPOINT",
                    help="also the Denoiser's default with this single-channel model cleaning the source courses; "
                         "repeatable")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    course_models = labelled_paths(args.course_model, "--course-model")
    recs, courses, names, bank = ground_truth_set(args.recordings)
    network = Denoiser("eegrecon_mc", line_freq=None, artifact_sources=0).fit()
    default = Denoiser("eegrecon_mc", line_freq=None).fit()
    courses_den = Denoiser("eegrecon_net", line_freq=None, ensemble=True).fit()  # as the Denoiser cleans courses
    others = {}
    for label, path in course_models.items():
        den = Denoiser("eegrecon_mc", line_freq=None).fit()
        den.models_.course_method = TestTimeEnsemble(load_method(path))  # what ModelSet.course_cleaner would load
        others[f"Denoiser default, courses cleaned by {label}"] = den

    def clean(sources):
        return courses_den.transform(sources, sfreq=SFREQ)

    rng = np.random.default_rng(0)
    n = int(args.seconds * SFREQ)
    results: dict[tuple[float, str], list[tuple[float, float]]] = {}
    for r_i, rec in enumerate(recs):
        truth = np.asarray(rec.data[:, :n], dtype=np.float64)
        for level in args.levels:
            mix = contaminate(truth, bank, courses, "test", level, rng, families={"eog": 1.0})
            x = mix.noisy
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                kept = eeg_out(network.transform(make_raw(x, names)), names)
                outs = {"noisy input": x, "network's removal (artifact_sources=0)": kept}
                true_topo = artifact_topographies(mix.artifact, 2)
                outs["spatial only: true topographies, beamformer"] = in_source_space(x, true_topo, mix.clean)
                outs["true topographies, beamformer, courses cleaned in time"] = in_source_space(
                    x, true_topo, mix.clean, clean)
                net_topo = artifact_topographies(x - kept, 2)
                outs["network's topographies, courses cleaned in time, every sample"] = in_source_space(
                    x, net_topo, kept, clean)
                outs["Denoiser default (artifact_sources=2: during events, where the network acted)"] = eeg_out(
                    default.transform(make_raw(x, names)), names)
                for label, den in others.items():
                    outs[label] = eeg_out(den.transform(make_raw(x, names)), names)
            for label, out in outs.items():
                sc = scores(out, mix.clean, names)
                results.setdefault((level, label), []).append((sc["cc_frontal"], sc["cc_rest"]))
        print(f"recording {r_i} done", flush=True)
    labels = list(dict.fromkeys(label for _, label in results))
    head = " | ".join(f"{lv:g} dB frontal | {lv:g} dB other" for lv in args.levels)
    lines = ["# Space and time in eye-artifact removal (`python benchmarks/experiments/source_space.py`)", "",
             f"Command: `python benchmarks/experiments/source_space.py {shlex.join(sys.argv[1:])}`", "",
             f"{len(recs)} eegmat test recordings × {args.seconds:g} s, 19 channels, real test-split EOG, no reference "
             "channels; CC against the clean truth in average reference, mean over recordings.", "",
             f"| method | {head} |", "|---" * (1 + 2 * len(args.levels)) + "|"]
    for label in labels:
        cells = []
        for lv in args.levels:
            cells += [f"{v:.3f}" for v in np.mean(results[(lv, label)], axis=0)]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
