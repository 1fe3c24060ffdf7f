"""One name per idea (issue 11): the public signatures spell every listed idea one way.

``VOCABULARY`` is the one table: each idea, its one name, and the spellings that are gone. The
walk below visits every public function of ``statcraft``, ``statcraft.health``,
``statcraft.finance``, ``statcraft.evaluation``, ``statcraft.resampling`` and
``statcraft.bayes`` -- and the ``__init__`` and public methods of every public class -- and
fails, naming the function and the right name, when a parameter spells a listed idea another
way. The same table is checked against the table in ``docs/guide/conventions.md``.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import statcraft as sc

MODULES = (
    "statcraft",
    "statcraft.health",
    "statcraft.finance",
    "statcraft.evaluation",
    "statcraft.resampling",
    "statcraft.bayes",
)

#: Modules whose functions score or check forecasts against observed outcomes.
SCORING_MODULES = (
    "statcraft.evaluation.scoring",
    "statcraft.evaluation.calibration",
    "statcraft.health.roc",
    "statcraft.health.diagnostic",
)

EXACT_CHOICES = re.compile(r"""['"](exact|asymptotic)['"]""")


@dataclass(frozen=True)
class Target:
    """One public callable: where it lives and its signature."""

    qualname: str
    module: str
    func: Callable[..., Any]
    signature: inspect.Signature

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.func) or ""


def _everywhere(target: Target, param: inspect.Parameter) -> bool:
    return True


def _trimming(target: Target, param: inspect.Parameter) -> bool:
    """A function that trims or winsorizes (a ``proportion`` elsewhere is another idea)."""
    return bool(re.search(r"trim|winsori[sz]", target.qualname + " " + target.doc, re.I))


def _scoring(target: Target, param: inspect.Parameter) -> bool:
    return target.module in SCORING_MODULES


def _choices(target: Target, name: str) -> tuple[Any, ...]:
    """The Literal choices of a parameter, through type aliases (empty when there are none)."""
    try:
        hint = typing.get_type_hints(target.func).get(name)
    except Exception:  # an annotation that does not resolve: read the text instead
        return ()
    out: list[Any] = []
    stack = [hint]
    while stack:
        h = stack.pop()
        if typing.get_origin(h) is typing.Literal:
            out += typing.get_args(h)
        else:
            stack += typing.get_args(h)
    return tuple(out)


def _exact_method(target: Target, param: inspect.Parameter) -> bool:
    """A ``method`` whose choices are exact/asymptotic inference (that idea is ``exact``)."""
    spelled = f"{param.annotation} {param.default!r} {_choices(target, param.name)!r}"
    return bool(EXACT_CHOICES.search(spelled))


@dataclass(frozen=True)
class Idea:
    """An idea, its one name, and the parameter spellings that are gone."""

    idea: str
    name: str
    retired: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    applies: Callable[[Target, inspect.Parameter], bool] = _everywhere

    def spells(self, name: str) -> bool:
        """Whether ``name`` is one of the spellings that are gone."""
        return name in self.retired or any(re.search(p, name) for p in self.patterns)


VOCABULARY: tuple[Idea, ...] = (
    Idea(
        "fraction cut (or winsorized) from each end",
        "trim",
        ("proportion", "winsorize", "trim_proportion", "trimming", "prop"),
        applies=_trimming,
    ),
    Idea(
        "value of the parameter under the null",
        "mu",
        ("null_value", "null", "mu0", "h0", "null_mean", "hypothesized_value"),
    ),
    Idea("the splitter of a cross-validation or backtest", "cv", ("splitter", "cv_splitter")),
    Idea(
        "observed outcomes being scored",
        "y_true",
        ("y", "y_obs", "observed", "observations", "obs", "outcome", "truth", "actual"),
        applies=_scoring,
    ),
    Idea(
        "continuity correction",
        "correction",
        ("continuity", "correct", "continuity_correction", "use_continuity", "yates"),
    ),
    Idea("exact or asymptotic inference", "exact", ("use_exact", "exact_test", "exact_pvalue")),
    Idea(
        "exact or asymptotic inference",
        "exact",
        ("method",),
        applies=_exact_method,
    ),
    Idea(
        "NaN handling",
        "nan_policy",
        ("nan", "missing", "na_action", "na_rm", "dropna", "skipna", "nan_handling"),
    ),
    Idea(
        "standard error",
        "std_error",
        ("standard_error", "se", "stderr", "std_err", "sem", "ste"),
        patterns=(r"^se_", r"_se$", r"standard_error", r"stderr"),
    ),
)


# ---------------------------------------------------------------- the walk
def _public_objects() -> Iterator[tuple[str, Any]]:
    seen: set[int] = set()
    for modname in MODULES:
        module = importlib.import_module(modname)
        names = getattr(module, "__all__", None) or [n for n in dir(module) if n[0] != "_"]
        for name in names:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or id(obj) in seen:
                continue
            seen.add(id(obj))
            yield f"{modname}.{name}", obj


def _targets() -> list[Target]:
    out = []
    for qualname, obj in _public_objects():
        if inspect.isclass(obj):
            members = [("__init__", obj.__init__)] if "__init__" in vars(obj) else []
            members += [
                (name, inspect.unwrap(getattr(obj, name)))
                for name, raw in vars(obj).items()
                if name[0] != "_"
                and isinstance(raw, (staticmethod, classmethod, Callable))
                and not inspect.isclass(raw)
            ]
            for name, member in members:
                try:
                    sig = inspect.signature(member)
                except (TypeError, ValueError):
                    continue
                module = getattr(member, "__module__", None) or obj.__module__
                out.append(Target(f"{qualname}.{name}", module, member, sig))
        elif callable(obj):
            try:
                sig = inspect.signature(obj)
            except (TypeError, ValueError):
                continue
            out.append(Target(qualname, getattr(obj, "__module__", ""), obj, sig))
    return out


def _breaches(param_name: str, target: Target, param: inspect.Parameter) -> list[str]:
    found = []
    for idea in VOCABULARY:
        if param_name == idea.name:
            continue
        if idea.spells(param_name) and idea.applies(target, param):
            found.append(
                f"{target.qualname}: parameter `{param_name}` spells '{idea.idea}' another "
                f"way; call it `{idea.name}` (docs/guide/conventions.md, 'One name per idea')"
            )
    return found


def check_signature(target: Target) -> list[str]:
    """Every way ``target``'s signature breaks the vocabulary (empty when it keeps it)."""
    problems = []
    params = target.signature.parameters
    for name, param in params.items():
        if name in ("self", "cls") or param.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        problems += _breaches(name, target, param)
    if "exact" in params:
        hint = str(params["exact"].annotation).replace(" ", "")
        if hint not in ("bool", "bool|None", "None|bool", "Optional[bool]"):
            problems.append(
                f"{target.qualname}: `exact` must be `bool` or `bool | None` (None = automatic, "
                f"as R); got {params['exact'].annotation}"
            )
    names = list(params)
    if "X" in names and "y" in names and names.index("y") < names.index("X"):
        problems.append(
            f"{target.qualname}: takes (y, X); features come before the outcome: call it with "
            "(X, y), as fit(X, y) and cross_validate(model, X, y)"
        )
    return problems


TARGETS = _targets()


def test_the_walk_sees_the_whole_public_api() -> None:
    names = {t.qualname for t in TARGETS}
    assert len(TARGETS) > 250
    for expected in (
        "statcraft.trimmed_mean",
        "statcraft.bootstrap_test",
        "statcraft.walk_forward_forecast",
        "statcraft.pit_values",
        "statcraft.Estimate.__init__",
        "statcraft.RegressionResult.predict",
        "statcraft.health.funnel_limits",
        "statcraft.health.CoxResult.predict_survival",
        "statcraft.finance.sharpe_ratio",
        "statcraft.evaluation.squared_error",
        "statcraft.evaluation.OLSModel.fit",
        "statcraft.resampling.JackknifeResult.__init__",
        "statcraft.bayes.BayesianModel.fit",
        "statcraft.bayes.LOOResult.__init__",
    ):
        assert expected in names, expected


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.qualname)
def test_signature_keeps_the_vocabulary(target: Target) -> None:
    problems = check_signature(target)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the check can fail
def _fake(func: Callable[..., Any], module: str = "statcraft.fake") -> Target:
    return Target(func.__name__, module, func, inspect.signature(func))


def test_the_check_names_the_function_and_the_right_name() -> None:
    def trimmed_thing(x: Any, proportion: float = 0.2) -> None:
        """Trim each end."""

    def boot(x: Any, *, null_value: float = 0.0, continuity: bool = False) -> None:
        """A test."""

    def rank_test(x: Any, *, method: str = "auto") -> None:
        """A test."""

    rank_test.__annotations__["method"] = 'Literal["auto", "exact", "normal"]'

    def paired(x: Any, *, method: str = "asymptotic") -> None:
        """A test."""

    def regress(y: Any, X: Any, *, standard_error: Any = None, splitter: Any = None) -> None:
        """A model."""

    def score(y: Any, prediction: Any) -> None:
        """A score."""

    def flagged(x: Any, *, exact: str = "auto") -> None:
        """A test."""

    problems = "\n".join(
        check_signature(_fake(trimmed_thing))
        + check_signature(_fake(boot))
        + check_signature(_fake(rank_test))
        + check_signature(_fake(paired))
        + check_signature(_fake(regress))
        + check_signature(_fake(score, "statcraft.evaluation.scoring"))
        + check_signature(_fake(flagged))
    )
    for message in (
        "trimmed_thing: parameter `proportion` spells 'fraction cut (or winsorized) from each "
        "end' another way; call it `trim`",
        "boot: parameter `null_value` spells 'value of the parameter under the null' another "
        "way; call it `mu`",
        "boot: parameter `continuity` spells 'continuity correction' another way; call it "
        "`correction`",
        "rank_test: parameter `method` spells 'exact or asymptotic inference' another way; "
        "call it `exact`",
        "paired: parameter `method` spells 'exact or asymptotic inference' another way",
        "regress: parameter `standard_error` spells 'standard error' another way; call it "
        "`std_error`",
        "regress: parameter `splitter` spells 'the splitter of a cross-validation or "
        "backtest' another way; call it `cv`",
        "regress: takes (y, X); features come before the outcome",
        "score: parameter `y` spells 'observed outcomes being scored' another way; call it "
        "`y_true`",
        "flagged: `exact` must be `bool` or `bool | None`",
    ):
        assert message in problems, message


def test_a_method_alias_with_exact_choices_is_caught() -> None:
    """The walk resolves type aliases: the old ``Method`` alias of the rank tests is caught."""
    target = next(t for t in TARGETS if t.qualname == "statcraft.proportion")
    assert "wilson" in _choices(target, "method")  # aliases resolve (ProportionMethod)
    namespace: dict[str, Any] = {"Literal": typing.Literal}
    exec(  # a module-level alias, as the rank tests had before issue 11
        "from __future__ import annotations\n"
        "Method = Literal['auto', 'exact', 'normal']\n"
        "def rank_test(x, *, method: Method = 'auto'): ...\n",
        namespace,
    )
    assert inspect.signature(namespace["rank_test"]).parameters["method"].annotation == "Method"
    problems = check_signature(_fake(namespace["rank_test"]))
    assert any("`method` spells 'exact or asymptotic inference'" in p for p in problems)


def test_the_scoped_ideas_stay_in_scope() -> None:
    def proportion_ci(successes: Any, proportion: float = 0.5) -> None:
        """A binomial proportion."""

    def ttest_like(x: Any, y: Any = None, *, method: str = "welch") -> None:
        """Not exact vs asymptotic."""

    def boot(data: Any, *, method: str = "percentile") -> None:
        """Bootstrap intervals."""

    boot.__annotations__["method"] = 'Literal["bca", "percentile", "basic", "normal"]'
    assert check_signature(_fake(proportion_ci)) == []
    assert check_signature(_fake(ttest_like)) == []
    assert check_signature(_fake(boot)) == []


# ---------------------------------------------------------------- result attributes and output
def _result_classes() -> list[tuple[str, type]]:
    return [(q, obj) for q, obj in _public_objects() if inspect.isclass(obj)]


@pytest.mark.parametrize(("qualname", "cls"), _result_classes(), ids=lambda v: str(v))
def test_result_attributes_spell_std_error(qualname: str, cls: type) -> None:
    fields: set[str] = set()
    if dataclasses.is_dataclass(cls):
        fields |= {f.name for f in dataclasses.fields(cls)}
    fields |= set(getattr(cls, "__slots__", ()))
    fields |= {n for n, v in vars(cls).items() if isinstance(v, property)}
    idea = next(i for i in VOCABULARY if i.name == "std_error")
    bad = sorted(f for f in fields if idea.spells(f))
    assert not bad, f"{qualname}: attribute(s) {bad} spell 'standard error'; call it `std_error`"


def _column_breaches(names: Any) -> list[str]:
    idea = next(i for i in VOCABULARY if i.name == "std_error")
    return [str(n) for n in names if idea.spells(str(n))]


def test_public_output_spells_std_error() -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(size=40)
    est = sc.trimmed_mean(x, trim=0.1)
    assert est.std_error > 0
    assert "std_error" in est.to_dict() and "std_error" in est.to_frame().columns
    boot = sc.bootstrap((x,), np.mean, n_resamples=199, rng=1)
    assert boot.std_error > 0 and "std_error" in boot.to_dict()
    jack = sc.resampling.jackknife((x,), np.mean)
    assert "std_error" in jack.to_dict()
    X = rng.normal(size=(40, 1))
    y = 1.0 + 2.0 * X[:, 0] + rng.normal(size=40)
    tuned = sc.evaluation.tune(
        sc.evaluation.OLSModel,
        {"add_intercept": [True, False]},
        X,
        y,
        cv=sc.evaluation.KFold(4),
        scoring=["squared_error", "absolute_error"],
    )
    assert {"squared_error_std_error", "absolute_error_std_error"} <= set(tuned.table.columns)
    es = sc.health.effect_sizes_2x2([4, 6], [120, 150], [11, 9], [118, 140], measure="OR")
    for columns in (
        est.to_dict(),
        boot.to_dict(),
        jack.to_dict(),
        tuned.table.columns,
        es.columns,
        sc.correlation(x, x + rng.normal(size=40)).details,
        sc.rank_biserial(x, x + 0.3).details,
        sc.ols(X, y).to_frame().columns,
    ):
        assert _column_breaches(columns) == [], columns


# ---------------------------------------------------------------- the ideas at work
def test_adjust_pvalues_takes_r_names() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    # R's p.adjust formula by hand: BH pmin(1, cummin(n / i * p[o]))[ro], n = 4:
    # sorted 0.005, 0.01, 0.03, 0.04 -> 0.02, 0.02, 0.04, 0.04 (after the cumulative minimum)
    np.testing.assert_allclose(sc.adjust_pvalues(p, method="BH"), [0.02, 0.04, 0.04, 0.02])
    # BY multiplies by q = 1 + 1/2 + 1/3 + 1/4 = 25/12 before the cumulative minimum
    q = 25 / 12
    expected_by = [2 * q * 0.01, min(q * 0.04, q * 4 / 3 * 0.03), q * 0.04, 4 * q * 0.005]
    np.testing.assert_allclose(sc.adjust_pvalues(p, method="BY"), expected_by)
    target = next(t for t in TARGETS if t.qualname == "statcraft.adjust_pvalues")
    names = ("holm", "bonferroni", "hochberg", "hommel", "BH", "BY")
    assert set(_choices(target, "method")) == set(names)
    for name in names:
        sc.adjust_pvalues(p, method=name)
    for old in ("bh", "by"):
        with pytest.raises(ValueError, match=r"R's p\.adjust spells it"):
            sc.adjust_pvalues(p, method=old)


@pytest.mark.parametrize(
    "func",
    [sc.ljung_box, sc.arch_lm, sc.resampling.optimal_block_length, sc.evaluation.pit_values],
    ids=lambda f: f.__name__,
)
def test_data_in_means_nan_policy(func: Callable[..., Any]) -> None:
    param = inspect.signature(func).parameters["nan_policy"]
    assert param.default == "raise"
    assert param.kind is inspect.Parameter.KEYWORD_ONLY


def test_the_one_names_work_together() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(0.4, 1.0, size=30)
    assert sc.bootstrap_test(x, mu=0.4, n_resamples=199, rng=1).details["mu"] == 0.4
    assert sc.winsorized_mean(x, trim=0.1).details["trim"] == 0.1
    assert sc.mann_whitney(x, x - 1, exact=True).details["exact"] is True
    assert sc.wilcoxon_signed_rank(x, exact=False).details["exact"] is False
    assert sc.hodges_lehmann(x, exact=None).details["exact"] is True  # n < 50, no zeros
    assert sc.mcnemar([[10, 5], [2, 12]], exact=True).method.startswith("Exact McNemar")
    corrected = sc.correlation(x, x + rng.normal(size=30), method="kendall", exact=False,
                               correction=True)  # fmt: skip
    assert "continuity correction" in corrected.details["pvalue_method"]
    assert sc.evaluation.squared_error(y_true=[1.0, 2.0], prediction=[1.0, 4.0]) == 2.0


# ---------------------------------------------------------------- the docs say the same
def _docs_table() -> list[list[str]]:
    text = (Path(__file__).parents[1] / "docs" / "guide" / "conventions.md").read_text()
    section = text.split("## One name per idea", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [re.split(r"(?<!\\)\|", row)[1:-1] for row in rows[1:]]  # drop the header


def test_conventions_guide_lists_the_vocabulary() -> None:
    table = _docs_table()
    by_idea = {cells[0].strip(): cells for cells in table}
    for idea in VOCABULARY:
        assert idea.idea in by_idea, f"docs/guide/conventions.md has no row for {idea.idea!r}"
        assert f"`{idea.name}`" in by_idea[idea.idea][1]
    ideas = {idea.idea for idea in VOCABULARY}
    # rows the signature walk cannot check are tested above (R's names; features before y)
    assert set(by_idea) - ideas == {"p-value adjustment", "order of the data"}
    retired_in_docs = " ".join(cells[2] for cells in table)
    for old in ("proportion", "null_value", "splitter", "continuity", "standard_error", "`se`"):
        assert old in retired_in_docs


def test_conventions_guide_code_runs(capsys: pytest.CaptureFixture[str]) -> None:
    # the blocks are markdown-exec's (```python exec="on" ... session="conventions"), run when
    # the site is built; they share one namespace, as on the site
    text = (Path(__file__).parents[1] / "docs" / "guide" / "conventions.md").read_text()
    assert "```python\n" not in text  # every block is executed when the site is built
    blocks = re.findall(r'```python [^\n]*exec="on"[^\n]*\n(.*?)```', text, flags=re.S)
    assert len(blocks) >= 4
    ns: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "conventions.md", "exec"), ns)
    assert "<svg" in capsys.readouterr().out  # the figure
    # "r, p = sc.correlation(x, y) puts Pearson's t into r"
    assert ns["r"] == ns["res"].statistic != ns["res"].estimate.estimate
    # "the mean is pulled towards [the outlier]; the robust estimates stay near the bulk"
    est = ns["estimates"]
    assert all(est["mean"].estimate > e.estimate for k, e in est.items() if k != "mean")
