import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    ).stdout


def test_import_statcraft_loads_no_bayesian_or_plotting_stack():
    out = _run(
        """
        import sys
        import statcraft
        heavy = ("pymc", "pytensor", "arviz", "matplotlib", "statsmodels", "sklearn", "dask")
        print(sorted(m for m in heavy if m in sys.modules))
        """
    )
    assert out.strip() == "[]"


def test_import_time_over_the_scientific_stack_is_small():
    # The bar: at most 0.3 s more than `import numpy, pandas, scipy.stats`. Timing the
    # increment inside one interpreter (stack imported first) keeps the check robust on a busy
    # machine; best of three fresh interpreters.
    code = (
        "import time, numpy, pandas, scipy.stats; t = time.perf_counter(); "
        "import statcraft; print(time.perf_counter() - t)"
    )
    increment = min(float(_run(code)) for _ in range(3))
    assert increment < 0.3, increment


def test_top_level_names_are_loaded_lazily_and_all_resolve():
    out = _run(
        """
        import sys
        import statcraft as sc
        loaded = sorted(m for m in sys.modules if m.startswith("statcraft."))
        print(loaded)
        """
    )
    assert out.strip() == "['statcraft.results']"
    import statcraft as sc

    missing = [name for name in sc.__all__ if getattr(sc, name, None) is None]
    assert missing == []
    assert sc.mean is sc.estimators.location.mean
    assert set(sc.__all__) <= set(dir(sc))


def test_export_table_matches_the_subpackages():
    import statcraft as sc
    from statcraft import estimators, evaluation, hypothesis_tests, resampling

    exports = sc._EXPORTS
    assert set(exports["statcraft.estimators"]) == set(estimators.__all__)
    assert set(exports["statcraft.hypothesis_tests"]) == set(hypothesis_tests.__all__)
    assert set(exports["statcraft.resampling"]) <= set(resampling.__all__)
    assert set(exports["statcraft.evaluation"]) <= set(evaluation.__all__)
    names = [n for group in exports.values() for n in group]
    assert len(names) == len(set(names))


def test_finance_imports_without_the_bayesian_stack_or_arch():
    out = _run(
        """
        import sys
        import statcraft as sc
        sc.finance.sharpe_ratio
        heavy = ("pymc", "pytensor", "arviz", "matplotlib", "arch", "statsmodels")
        print(sorted(m for m in heavy if m in sys.modules))
        """
    )
    assert out.strip() == "[]"


def test_health_imports_without_the_bayesian_stack_or_matplotlib():
    out = _run(
        """
        import sys
        import statcraft as sc
        sc.health.meta_analysis
        heavy = ("pymc", "pytensor", "arviz", "matplotlib", "statsmodels")
        print(sorted(m for m in heavy if m in sys.modules))
        """
    )
    assert out.strip() == "[]"


def test_health_names_are_the_functions_not_their_modules():
    # `statcraft.health.meta` is the module, `meta_analysis` the function, whatever was
    # imported first.
    import statcraft.health.meta
    from statcraft.health import meta_analysis

    assert callable(meta_analysis) and meta_analysis.__module__ == "statcraft.health.meta"
    assert statcraft.health.meta.meta_analysis is meta_analysis
