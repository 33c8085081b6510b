"""Every public rule carries a worked example, and every worked example is right."""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import metrics

MODULES = sorted(info.name for info in pkgutil.iter_modules(metrics.__path__, "metrics."))


@pytest.mark.parametrize("name", MODULES)
def test_worked_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_a_worked_example(name):
    module = importlib.import_module(name)
    public = [
        function for function_name, function in inspect.getmembers(module, inspect.isfunction)
        if not function_name.startswith("_") and function.__module__ == name
    ]
    missing = [f.__name__ for f in public if ">>>" not in (inspect.getdoc(f) or "")]
    assert missing == []


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_with_several_arguments_take_keywords(name):
    module = importlib.import_module(name)
    allowed_positional = {"wilson_ci": 2, "rate_ci": 2, "proportion_ci": 2, "coerce_enum": 2,
                          "wilson_ci_array": 2, "rate_ci_array": 2, "proportion_ci_array": 2}
    offenders = []
    for function_name, function in inspect.getmembers(module, inspect.isfunction):
        if function_name.startswith("_") or function.__module__ != name:
            continue
        parameters = inspect.signature(function).parameters.values()
        positional = [p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
        if len(positional) > allowed_positional.get(function_name, 1):
            offenders.append(function_name)
    assert offenders == []
