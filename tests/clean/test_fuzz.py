"""Fuzz of ``Denoiser.transform`` over Raw, Epochs and arrays (shapes, rates, dtypes, values, annotations, bads):
only the package's own errors, input never modified, output finite and of the input's type and shape."""

import pytest
from fuzz_inputs import INPUTS, check_transform
from hypothesis import HealthCheck, given, settings

from eegrecon import Denoiser


@pytest.fixture(scope="module")
def fitted(small_checkpoint):
    return Denoiser(str(small_checkpoint), chunk_s=5.0).fit()


@settings(max_examples=500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
@given(case=INPUTS)
def test_transform_never_crashes_nor_modifies_its_input(fitted, case):
    X, kwargs = case
    check_transform(fitted, X, kwargs)
