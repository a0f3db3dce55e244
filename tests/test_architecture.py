"""The package's shape: layers import downward only, no import cycles, a light ``import eegrecon``, and one
definition of the concepts the layers share."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "eegrecon"


def test_import_contracts_hold():
    pytest.importorskip("importlinter", reason="import-linter is a dev dependency: pip install -e '.[dev]'")
    # the same interpreter, not the lint-imports script: a fresh environment may not have it on PATH yet
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True, no_logo=True))")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "0 broken" in res.stdout


#: no module of the package is longer than this (lines): a module has one job
MAX_MODULE_LINES = 500


def test_no_module_is_longer_than_the_limit():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_the_cleaning_road_has_its_own_package_and_a_thin_facade():
    stages = {"adapters", "survey", "engine", "chunks", "windows", "model_choice", "denoiser", "files", "streaming"}
    assert stages <= {p.stem for p in (PACKAGE / "clean").glob("*.py")}
    assert {p.stem for p in (PACKAGE / "clean" / "spatial").glob("*.py")} >= {
        "stage", "reference_regression", "artifact_sources", "refit", "common_mode", "broken_channels"}
    source = (PACKAGE / "clean" / "denoiser.py").read_text().splitlines()
    start = next(i for i, line in enumerate(source) if line.startswith("class Denoiser"))
    end = next((i for i, line in enumerate(source) if i > start and line and not line[0].isspace()), len(source))
    assert end - start <= 250, f"Denoiser is {end - start} lines"


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm (iterative-safe at this size): components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles_between_modules():
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (dev dependency)")
    g = grimp.build_graph("eegrecon")
    # imports inside functions count too: a cycle hidden in a function is still a cycle
    graph = {m: set(g.find_modules_directly_imported_by(m)) for m in g.modules}
    # a subpackage's __init__ re-exporting its own modules is not a cycle between layers
    for m, deps in graph.items():
        graph[m] = {d for d in deps if not m.startswith(d + ".")}
    assert _strongly_connected(graph) == []


def test_import_eegrecon_is_light():
    code = ("import sys, eegrecon\n"
            "heavy = [m for m in ('torch', 'mne', 'pandas', 'matplotlib') if m in sys.modules]\n"
            "print(','.join(heavy))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "", f"import eegrecon imported {res.stdout.strip()}"


def test_default_model_name_is_written_once():
    # the architecture's registry entry and the bundle table are the only places that spell the name
    allowed = {PACKAGE / "models" / "registry.py", PACKAGE / "models" / "pretrained.py"}
    offenders = [p.relative_to(ROOT) for p in PACKAGE.rglob("*.py")
                 if p not in allowed and '"eegrecon_net"' in p.read_text()]
    assert offenders == []


def test_one_notch_for_baselines_and_preprocessing():
    from eegrecon.baselines.filters import bandpass_notch
    from eegrecon.signal.filters import notch

    x = np.random.default_rng(0).standard_normal((3, 1024))
    np.testing.assert_array_equal(bandpass_notch(x, 256.0, None, None, 50.0), notch(x, 256.0, 50.0))


def test_one_rms_and_one_band_table():
    from eegrecon.analysis.hardest import spectrum_partition
    from eegrecon.data import pairs
    from eegrecon.metrics import BANDS, rms

    assert pairs.rms is rms
    edges = list(spectrum_partition().values())
    assert edges[0][0] == 0 and edges[-1][1] == np.inf
    assert all(a[1] == b[0] for a, b in zip(edges, edges[1:]))  # the partition tiles the spectrum
    assert [e for e in edges[1:-1]] == list(BANDS.values())[1:]


def test_one_hop_for_windows_and_inference():
    from eegrecon.clean.windows import lead_padding, padded_length
    from eegrecon.data.preprocess import make_windows
    from eegrecon.signal.filters import hop_for

    for n_window, overlap in [(512, 0.5), (512, 0.75), (100, 0.0), (7, 0.9)]:
        hop = hop_for(n_window, overlap)
        x = np.arange(5 * n_window, dtype=float)
        w = make_windows(x, n_window, overlap)
        assert w[1, 0] - w[0, 0] == hop
        assert padded_length(1000, n_window, hop)[0] == lead_padding(n_window, hop)
