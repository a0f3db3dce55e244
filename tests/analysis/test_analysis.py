"""The noise-robustness study: sweep cells = direct evaluation, CIs behave, the report matches its CSVs."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from eegrecon.analysis import SweepConfig, bootstrap_ci, cells_with_ci, run_sweep
from eegrecon.analysis.study import AnalysisConfig, paired_effect, run_analysis
from eegrecon.baselines import WienerFilter
from eegrecon.evaluation import EvalConfig, evaluate, make_test_pairs, make_train_pairs


def test_sweep_cell_equals_direct_evaluation(sim_corpus):
    cfg = SweepConfig(noises=["eog", "line"], snrs=[-6.0, 0.0, 6.0], n_windows=12, n_train_pairs=200)
    table = run_sweep(sim_corpus, {"wiener": WienerFilter}, cfg)
    eval_cfg = EvalConfig(noises=["eog"], snrs=[-6.0, 0.0, 6.0], n_test_windows=12, n_train_pairs=200)
    direct = evaluate(WienerFilter().fit(make_train_pairs(sim_corpus, "eog", eval_cfg)),
                      make_test_pairs(sim_corpus, "eog", eval_cfg))
    cell = table[(table["noise"] == "eog") & (table["snr"] == 0.0)]
    ref = direct[direct["snr"] == 0.0]
    np.testing.assert_allclose(cell["cc"].to_numpy(), ref["cc"].to_numpy())
    np.testing.assert_allclose(cell["rrmse_t"].to_numpy(), ref["rrmse_t"].to_numpy())


def test_bootstrap_ci_contains_mean_and_shrinks_with_more_windows():
    rng = np.random.default_rng(0)
    widths = []
    for n in (20, 200, 2000):
        v = rng.normal(0.8, 0.1, n)
        lo, hi = bootstrap_ci(v, 1000, rng=np.random.default_rng(1))
        assert lo <= v.mean() <= hi
        widths.append(hi - lo)
    assert widths[0] > widths[1] > widths[2]
    assert 0.5 < widths[1] / (2 * 1.96 * 0.1 / np.sqrt(200)) < 1.5  # close to the normal-theory width


def test_cells_with_ci_and_paired_effect():
    rng = np.random.default_rng(0)
    base = pd.DataFrame({"method": "a", "noise": "eog", "snr": 0.0, "window": np.arange(100),
                         "cc": rng.normal(0.7, 0.1, 100)})
    better = base.assign(method="b", cc=base["cc"] + 0.05 + rng.normal(0, 0.01, 100))
    table = pd.concat([base, better])
    cells = cells_with_ci(table, ["method", "noise", "snr"], ["cc"])
    assert ((cells["cc_lo"] <= cells["cc"]) & (cells["cc"] <= cells["cc_hi"])).all()
    eff = paired_effect(table, "a", "cc")
    assert eff.loc[0, "helps"] and 0.04 < eff.loc[0, "cc_change"] < 0.06 and eff.loc[0, "ci_lo"] > 0


@pytest.fixture(scope="module")
def quick_study(tmp_path_factory):
    import eegrecon.paths

    mp = pytest.MonkeyPatch()
    mp.setattr(eegrecon.paths, "_default_data_candidates", lambda: [])
    out = tmp_path_factory.mktemp("analysis")
    cfg = AnalysisConfig.quick()
    cfg.train_steps = 20
    res = run_analysis(out, None, cfg)
    mp.undo()
    return out, res


def test_report_contains_every_listed_figure_and_table_with_csv_numbers(quick_study):
    out, res = quick_study
    html = (out / "report.html").read_text()
    manifest = json.loads((out / "report.manifest.json").read_text())
    assert len(manifest["figures"]) >= 4 and len(manifest["tables"]) >= 6
    for fig in manifest["figures"]:
        assert re.search(f'<figure id="{fig["id"]}"><img [^>]*src="data:image/png;base64,[A-Za-z0-9+/=]{{1000,}}"',
                         html), fig["id"]
    for tab in manifest["tables"]:
        m = re.search(f'<table id="{tab["id"]}">.*?<tbody>(.*?)</tbody>', html, re.S)
        assert m, tab["id"]
        cells = re.findall(r"<td>(.*?)</td>", m.group(1))
        csv = pd.read_csv(out / tab["csv"])
        assert len(re.findall(r"<tr>", m.group(1))) == len(csv) == tab["rows"]
        expected = [f"{v:.4f}" if isinstance(v, float) else str(v) for row in csv.itertuples(index=False)
                    for v in row]
        for got, want in zip(cells, expected):
            if want in ("nan", "True", "False") or not re.fullmatch(r"-?\d+\.\d{4}", want):
                continue
            assert got == want, (tab["id"], got, want)


def test_study_covers_hardest_generalisation_clean_input_and_mitigations(quick_study):
    out, res = quick_study
    assert {"reason", "spectral_overlap"} <= set(res["hardest"].columns) and len(res["hardest"]) > 0
    assert "specialist: eog" in set(res["generalisation"]["method"])
    assert {"rrmse_input", "cc_input", "delta_db", "gamma_db"} <= set(res["clean_input"].columns)
    methods = set(res["mitigations"]["method"])
    for tag in ("(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"):
        assert any(m.startswith(tag) for m in methods), tag
    assert (out / "sweep_windows.csv").is_file() and (out / "results.json").is_file()
