"""One estimator contract (scikit-learn's rules) for every registered baseline, every network behind the Method
interface, the test-time ensemble and the Denoiser: repr, get_params, set_params, clone, no implicit fitting."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from eegrecon.baselines import BASELINES
from eegrecon.clean.denoiser import Denoiser
from eegrecon.errors import NotFittedError, OptionError
from eegrecon.estimator import Estimator, check_is_fitted, clone
from eegrecon.method import Identity, TestTimeEnsemble
from eegrecon.models import MODELS, NeuralMethod, build_model


def _network(name: str) -> NeuralMethod:
    return NeuralMethod(build_model(name, n_times=256).eval(), {"model": name})


FACTORIES = {
    **{f"baseline:{k}": v for k, v in BASELINES.items()},
    **{f"network:{k}": (lambda k=k: _network(k)) for k in MODELS},
    "ensemble": lambda: TestTimeEnsemble(Identity()),
    "denoiser": lambda: Denoiser(Identity(), overlap=0.25, units=None),
}


@pytest.fixture(params=list(FACTORIES), ids=list(FACTORIES))
def estimator(request) -> Estimator:
    return FACTORIES[request.param]()


def test_params_are_the_init_arguments(estimator):
    init = type(estimator).__init__
    expected = [] if init is object.__init__ else [
        p for p in inspect.signature(init).parameters if p != "self"]
    params = estimator.get_params(deep=False)
    assert list(params) == expected
    text = repr(estimator)
    assert text.startswith(f"{type(estimator).__name__}(") and all(f"{k}=" in text for k in params)


def test_set_params_roundtrip_and_unknown_names(estimator):
    params = estimator.get_params(deep=False)
    for key, value in params.items():
        assert estimator.set_params(**{key: value}) is estimator
        assert getattr(estimator, key) is value
    with pytest.raises(OptionError, match="has no parameter 'no_such_parameter'"):
        estimator.set_params(no_such_parameter=1)


def test_clone_gives_an_equal_unfitted_copy(estimator):
    copy = clone(estimator)
    assert type(copy) is type(estimator) and copy is not estimator
    assert repr(copy) == repr(estimator)
    assert not any(k.endswith("_") and not k.startswith("_") for k in vars(copy))


def test_nested_parameters_reach_the_inner_estimator():
    ens = TestTimeEnsemble(Identity())
    den = Denoiser(ens)
    assert den.get_params()["model__name"] == ens.name
    den.set_params(model__name="renamed")
    assert ens.name == "renamed"


def test_sklearn_clone_accepts_our_estimators():
    base = pytest.importorskip("sklearn.base", reason="scikit-learn is not a dependency; tested when present")
    for factory in (BASELINES["wiener"], lambda: Denoiser(Identity())):
        est = factory()
        assert repr(base.clone(est)) == repr(est)


@pytest.mark.parametrize("name", ["wiener", "bandpass", "wavelet"])
def test_fitted_baselines_refuse_to_denoise_before_fit(name):
    method = BASELINES[name]()
    with pytest.raises(NotFittedError, match="not fitted yet"):
        method.denoise(np.zeros((2, 256)), 256.0)


def test_methods_without_fit_are_ready():
    for method in (Identity(), BASELINES["oracle_wiener"](), _network("eegrecon_net"),
                   BASELINES["bandpass"](tune=False)):
        check_is_fitted(method)


def test_denoiser_refuses_to_transform_before_fit():
    den = Denoiser(Identity())
    with pytest.raises(NotFittedError, match=r"call Denoiser\(...\).fit\(\) first"):
        den.transform(np.zeros((2, 600)), sfreq=256.0)
