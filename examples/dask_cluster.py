"""Clean many recordings on a Dask cluster: one task per file, the same call as `eegrecon denoise`.

    pip install "dask[distributed]"
    python examples/dask_cluster.py --out cleaned/ rec1.edf rec2.edf ...          # local cluster
    python examples/dask_cluster.py --scheduler tcp://host:8786 --out /shared/cleaned /shared/raw/*.edf

Every worker needs eegrecon installed and read access to the inputs and write access to --out (a shared file
system). Each task is `eegrecon.clean.files.clean_file`, which never modifies its input and writes atomically, so a
task that is retried after a worker dies cannot leave a half-written output.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eegrecon.clean.files import clean_file
from eegrecon.models.pretrained import DEFAULT_MODEL


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--scheduler", default=None, help="address of a running scheduler (default: local cluster)")
    args = ap.parse_args()
    from dask.distributed import Client, LocalCluster

    client = Client(args.scheduler) if args.scheduler else Client(LocalCluster(threads_per_worker=1))
    futures = client.map(clean_file, args.inputs, out_dir=args.out, model=args.model, overwrite=True,
                         pure=False)
    for future, path in zip(futures, args.inputs):
        try:
            print(f"{path} → {future.result().output}")
        except Exception as exc:  # one bad file must not stop the others
            print(f"{path}: failed: {exc}")
    client.close()


if __name__ == "__main__":
    main()
