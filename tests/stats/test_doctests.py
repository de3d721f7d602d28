"""The ``>>>`` examples of the statistics API run, pass, and cover every public function and class.

Each module of :mod:`analysis.stats` is run through :mod:`doctest` (default options, as
``pytest --doctest-modules`` would): an example whose printed result drifts — a changed default, a
rounding, a wrong hand computation — fails here. The public API of a module is its ``__all__``
together with every function or class without a leading underscore defined in it (not imported);
each needs an example in its own docstring (a class: in the class docstring).
"""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import analysis.stats

MODULES = sorted(f"analysis.stats.{m.name}" for m in pkgutil.iter_modules(analysis.stats.__path__))


def public_objects(module) -> dict:
    """name → function or class defined in ``module`` and public (``__all__``, or no leading underscore)."""
    names = set(getattr(module, "__all__", ())) | {n for n in vars(module) if not n.startswith("_")}
    return {
        n: obj
        for n in sorted(names)
        if (obj := getattr(module, n, None)) is not None
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == module.__name__
    }


def _doctests(module):
    return doctest.DocTestFinder(exclude_empty=True).find(module, module.__name__)


def test_every_module_of_the_package_is_covered():
    assert {
        "analysis.stats.checks",
        "analysis.stats.cox",
        "analysis.stats.km",
        "analysis.stats.logrank",
        "analysis.stats.risksets",
        "analysis.stats.compare",
        "analysis.stats.survival",
    } <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_examples_pass(name):
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=0)
    report = []
    for test in _doctests(module):
        runner.run(test, out=report.append)
    assert runner.tries > 0, f"{name} has no >>> example"
    assert runner.failures == 0, f"{runner.failures} of {runner.tries} examples of {name} failed:\n" + "".join(report)


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_and_class_has_an_example(name):
    module = importlib.import_module(name)
    examples = {t.name: len(t.examples) for t in _doctests(module)}
    missing = [n for n in public_objects(module) if not examples.get(f"{name}.{n}")]
    assert not missing, f"{name}: no >>> example in the docstring of {', '.join(missing)}"
