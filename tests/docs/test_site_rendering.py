r"""The documentation site renders what the docstrings say (issue 10).

statcraft's docstrings are numpydoc in reStructuredText. When the site is built,
``mkdocs_hooks/rst_to_markdown.py`` (a griffe extension) turns their roles, tables, maths and
directives into Markdown, ``mkdocs_hooks/mathml.py`` typesets the maths as MathML (offline) and
``mkdocs_hooks/check_rendering.py`` fails the build if raw markup reaches a page.

The converters and hooks are unit-tested here, and the API reference is built once for the module
with ``mkdocs build --strict`` (the project's own ``mkdocs.yml``, inherited) and its HTML checked:
no raw roles or RST table rules, MathML maths, cross-references as links, signatures split over
lines, and every public name of statcraft on a reference page.

The build here keeps the reference pages and replaces the guide pages by stubs: the guides run
their code (Bayesian fits included) when they are built, which takes minutes, and the case-study
pages need generated reports. ``make docs`` builds the whole site with the same hooks, so the
check covers every page there. Set ``STATCRAFT_DOCS_TEST_FULL=1`` to build the full ``docs/``
here as well (the case-study pages still need ``STATCRAFT_REPORTS``).
"""

from __future__ import annotations

import html
import importlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("mkdocstrings_handlers.python")
pytest.importorskip("latex2mathml")

from case_studies import _mathml
from mkdocs.exceptions import PluginError
from mkdocs_hooks import check_rendering, mathml, rst_to_markdown
from mkdocs_hooks.rst_to_markdown import rst_to_markdown as convert

ROOT = Path(__file__).resolve().parents[2]

# A page written like the guides and case studies: plain Markdown maths.
MATHS_PAGE = r"""# Maths

Inline $\hat\theta = \bar x$ and $\sigma^2$, and a display:

$$
\mathrm{CRPS}(F, y) = \int \left(F(x) - 1\{x \ge y\}\right)^2 \, dx
$$

Aligned:

$$
\begin{aligned}
y_i &\sim \mathcal{N}(\mu_i, \sigma), \\
\mu_i &= \alpha + x_i^\top \beta.
\end{aligned}
$$
"""


# --------------------------------------------------------------------------------------------
# the RST -> Markdown converter
# --------------------------------------------------------------------------------------------


def _resolver(role: str, target: str) -> str | None:
    known = {
        "bootstrap": "statcraft.resampling._bootstrap.bootstrap",
        "statcraft.results.Estimate": "statcraft.results.Estimate",
        "Estimate": "statcraft.results.Estimate",
        "fit": "statcraft.bayes.base.BayesianModel.fit",
        "statcraft.evaluation": "statcraft.evaluation",
    }
    return known.get(target)


def test_roles_become_optional_autorefs_or_code() -> None:
    out = convert(
        "See :func:`bootstrap`, :class:`~statcraft.results.Estimate`, :meth:`fit`, "
        ":mod:`statcraft.evaluation` and :func:`scipy.stats.bootstrap`.",
        _resolver,
    )
    assert (
        '<autoref identifier="statcraft.resampling._bootstrap.bootstrap" optional>'
        "`bootstrap()`</autoref>" in out
    )
    assert '<autoref identifier="statcraft.results.Estimate" optional>`Estimate`</autoref>' in out
    assert '<autoref identifier="statcraft.bayes.base.BayesianModel.fit" optional>`fit()`' in out
    assert '<autoref identifier="statcraft.evaluation" optional>`statcraft.evaluation`' in out
    # not in the package: plain code, never a broken link
    assert "`scipy.stats.bootstrap()`" in out
    assert ":func:" not in out
    assert ":class:" not in out


def test_role_forms() -> None:
    assert convert(":class:`the result <Estimate>`", _resolver).endswith(
        "optional>`the result`</autoref>"
    )
    # a target broken over two lines is one name
    assert "`statcraft.evaluation.cross_validate()`" in convert(
        ":func:`statcraft.evaluation.\n    cross_validate`"
    )
    assert convert(":attr:`means`") == "`means`"
    assert convert(":data:`DISTRIBUTIONS`") == "`DISTRIBUTIONS`"
    assert convert(":py:func:`~a.b.c`") == "`c()`"
    assert convert(":unknownrole:`x`") == "`x`"


def test_literals_and_inline_maths() -> None:
    assert convert("use ``nan_policy='omit'``") == "use `nan_policy='omit'`"
    # a role inside a literal is text, not a role
    assert convert("``:func:`x```") == "``:func:`x```"
    out = convert(r"the :math:`1 - \alpha` level and :math:`\frac{a}{b}`")
    assert out == r"the \(1 - \alpha\) level and \(\frac{a}{b}\)"
    # maths broken over lines is joined (Markdown may wrap it)
    assert convert(":math:`a +\n    b`") == r"\(a + b\)"


def test_simple_table_with_continuation_rows() -> None:
    text = """Intro.

=================  ==============================  ==================
function           assumes                         R
=================  ==============================  ==================
``ttest``          normal means; Welch (default):  ``t.test``
                   unequal variances allowed
:func:`bootstrap`  nothing | much                  ``wilcox.test(x,
                                                   paired = TRUE)``
=================  ==============================  ==================

After."""
    out = convert(text, _resolver)
    assert "=====" not in out
    lines = out.split("\n")
    assert "| function | assumes | R |" in lines
    assert "|---|---|---|" in lines
    assert "| `ttest` | normal means; Welch (default): unequal variances allowed | `t.test` |" in (
        lines
    )
    row = next(line for line in lines if "bootstrap" in line)
    assert "<autoref" in row
    assert r"nothing \| much" in row  # a pipe in a cell is escaped
    assert "`wilcox.test(x, paired = TRUE)`" in row  # a literal broken over lines is one
    assert out.startswith("Intro.\n\n|") or "Intro.\n\n| function" in out
    assert out.endswith("\n\nAfter.")


def test_simple_table_without_header_and_bad_tables() -> None:
    out = convert("=====  =====\na      b\nc      d\n=====  =====\n")
    assert "| a | b |" in out
    assert "| c | d |" in out
    with pytest.raises(ValueError, match="crosses a column boundary"):
        convert("=====  =====\nhead   x\n=====  =====\nlonger text\n=====  =====\n")


def test_grid_table() -> None:
    text = """+------+-------+
| a    | b     |
+======+=======+
| 1    | two   |
|      | lines |
+------+-------+
| 3    | 4     |
+------+-------+
"""
    out = convert(text)
    assert "| a | b |" in out
    assert "| 1 | two lines |" in out
    assert "| 3 | 4 |" in out
    assert "+---" not in out


def test_math_directive() -> None:
    out = convert(
        "Model\n\n.. math::\n\n    y_i &\\sim N(\\mu, 1), \\\\\n    \\mu &= 0.\n\nwhere y.",
    )
    assert ".. math::" not in out
    assert (
        "$$\n\\begin{aligned}\ny_i &\\sim N(\\mu, 1), \\\\\n\\mu &= 0.\n\\end{aligned}\n$$" in out
    )
    # one plain equation is not wrapped; the directive's own line may hold it
    assert "$$\nx = 1\n$$" in convert(".. math:: x = 1")
    # two equations separated by a blank line are aligned as Sphinx does
    two = convert(".. math::\n\n    a = 1\n\n    b = 2\n")
    assert "\\begin{aligned}\na = 1 \\\\\nb = 2\n\\end{aligned}" in two


def test_directives_citations_literals_see_also() -> None:
    out = convert(".. note::\n   Mind the units.\n\nText.")
    assert "!!! note\n    Mind the units." in out
    out = convert(".. versionadded:: 0.2\n   The ``x`` argument.")
    assert '!!! info "Added in version 0.2"\n    The `x` argument.' in out
    out = convert("References\n----------\n.. [1] Student (1908).\n       Biometrika 6.\n")
    assert "- \\[1\\] Student (1908). Biometrika 6." in out
    out = convert("The top level::\n\n    import statcraft as sc\n    sc.mean(x)\n\nMore.")
    assert "The top level:\n\n```python\nimport statcraft as sc\nsc.mean(x)\n```" in out
    assert "::" not in out
    out = convert("See Also\n--------\nbootstrap : the interval.\nlog_returns, mean\n", _resolver)
    assert "See Also\n--------" in out
    assert "- <autoref" in out
    assert ": the interval." in out
    assert "- `log_returns`, `mean`" in out


def test_sections_and_doctests_are_left_alone() -> None:
    text = """Summary with ``code``.

Parameters
----------
x : array_like
    The data; see :func:`bootstrap`.

Examples
--------
>>> import statcraft as sc
>>> print(":func:`x` ``y``")
:func:`x` ``y``
"""
    out = convert(text, _resolver)
    assert "Parameters\n----------\nx : array_like\n    The data; see <autoref" in out
    assert '>>> print(":func:`x` ``y``")\n:func:`x` ``y``' in out
    assert out.startswith("Summary with `code`.")


def test_every_docstring_converts() -> None:
    """The whole package goes through the extension; only external names stay unresolved."""
    griffe = pytest.importorskip("griffe")
    extension = rst_to_markdown.RstToMarkdown()
    loader = griffe.GriffeLoader(
        extensions=griffe.load_extensions(extension),
        search_paths=[str(ROOT / "src")],
        docstring_parser=griffe.Parser("numpy"),
    )
    package = loader.load("statcraft")
    unresolved = {target for _, _, target in extension.unresolved}
    assert all(not t.startswith("statcraft") for t in unresolved), unresolved
    formulas = 0
    for obj in rst_to_markdown._walk(package):
        if obj.docstring is not None:
            value = obj.docstring.value
            assert not re.search(r":(func|class|meth|attr|mod|data|math):`", value), obj.path
            assert not check_rendering.TABLE_RULE_RE.search(value), obj.path
            assert ".. math::" not in value, obj.path
            # every formula, rendered on a page or not, becomes valid MathML
            for inline in re.findall(r"\\\((.*?)\\\)", value, re.S):
                _mathml.latex_to_mathml(inline)
                formulas += 1
            for block in re.findall(r"^ *\$\$\n(.*?)\n *\$\$$", value, re.S | re.M):
                _mathml.latex_to_mathml(block, display="block")
                formulas += 1
    assert formulas > 1000


# --------------------------------------------------------------------------------------------
# the MathML hook
# --------------------------------------------------------------------------------------------


def test_latex_to_mathml() -> None:
    inline = _mathml.latex_to_mathml(r"\frac1n \sum_k x_k")
    assert inline.startswith("<math") and 'display="inline"' in inline
    assert "<mfrac>" in inline
    block = _mathml.latex_to_mathml(
        "\\begin{aligned} a &\\sim b \\\\ c &= d \\end{aligned}", display="block"
    )
    assert 'display="block"' in block and "<mtable" in block
    assert "&#x0223C;" in block  # \sim is the operator, not a "~" identifier
    for tex in (r"(l - y)\,1\{y < l\}", r"t_\nu\!\left(0, e^{h/2}\right)", r"\tfrac12 E|X|"):
        _mathml.latex_to_mathml(tex)
    assert _mathml.normalise_tex(r"\tfrac12 + \frac1n") == r"\frac{1}{2} + \frac{1}{n}"
    gathered = r"\begin{gathered} a = b \\ c = d \end{gathered}"
    assert "<mtable" in _mathml.latex_to_mathml(gathered, display="block")
    with pytest.raises(_mathml.MathError, match="alignment"):
        _mathml.latex_to_mathml("a &= b")
    with pytest.raises(_mathml.MathError, match="alignment"):
        _mathml.latex_to_mathml(r"a = b \\ c = d", display="block")


def test_arithmatex_to_mathml() -> None:
    page = (
        '<p>Let <span class="arithmatex">\\(x &lt; 1\\)</span>.</p>\n'
        '<div class="arithmatex">\\[\\frac{a}{b}\\]</div>'
    )
    out = mathml.arithmatex_to_mathml(page)
    assert "arithmatex" not in out.replace('class="arithmatex-block"', "")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in out
    assert 'display="block"' in out
    assert "&#x0003C;" in out  # the unescaped "<" became MathML, not markup
    bad = SimpleNamespace(file=SimpleNamespace(src_uri="guide/bad.md"))
    with pytest.raises(PluginError, match=r"guide/bad\.md"):
        mathml.on_page_content('<span class="arithmatex">\\(a & b\\)</span>', page=bad)


# --------------------------------------------------------------------------------------------
# the build check
# --------------------------------------------------------------------------------------------


def test_check_hook_raises_on_raw_markup() -> None:
    page = SimpleNamespace(file=SimpleNamespace(src_uri="reference/x.md"))
    clean = (
        "<p>See <code>bootstrap()</code>; Sphinx writes <code>:func:`x`</code> and "
        "<code>.. math::</code>.</p><pre><code>=====  =====\n:func:`x`</code></pre>"
    )
    assert check_rendering.on_post_page(clean, page=page) == clean
    for bad, what in (
        ("<p>See :func:<code>bootstrap</code>.</p>", ":func:"),
        ("<p>See :class:`Estimate`.</p>", ":class:"),
        ("<p>where :math:<code>x^2</code></p>", ":math:"),
        ("<p>=====  =====\nfunction   R\n=====  =====</p>", "table rule"),
        ("<p>.. math::</p>", "directive"),
        ('<span class="arithmatex">\\(x\\)</span>', "not typeset"),
        ('<autoref identifier="x">x</autoref>', "autoref"),
    ):
        with pytest.raises(PluginError, match=r"reference/x\.md") as error:
            check_rendering.on_post_page(bad, page=page)
        assert what in str(error.value)


# --------------------------------------------------------------------------------------------
# the built site
# --------------------------------------------------------------------------------------------


def _hooks_without_reports(config_text: str) -> list[str]:
    """The hooks of ``mkdocs.yml``, less the one that needs generated case-study reports."""
    block = re.search(r"^hooks:\n((?:[ \t]+.*\n)+)", config_text, re.M)
    assert block, "mkdocs.yml has no hooks: list"
    hooks = re.findall(r"^[ \t]+- (\S+)", block[1], re.M)
    if os.environ.get("STATCRAFT_REPORTS"):
        return hooks
    return [h for h in hooks if "case_study" not in h]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the API reference once (``mkdocs build --strict``) and return the site folder."""
    work = tmp_path_factory.mktemp("docs_build")
    for name in ("src", "mkdocs_hooks", "case_studies"):
        (work / name).symlink_to(ROOT / name, target_is_directory=True)
    docs = work / "docs"
    full = os.environ.get("STATCRAFT_DOCS_TEST_FULL") == "1"
    shutil.copytree(ROOT / "docs", docs)
    if not full:
        for page in docs.rglob("*.md"):
            if page.relative_to(docs).parts[0] != "reference":
                page.write_text(f"# {page.stem}\n\nA stub: this test builds the API reference.\n")
    (docs / "maths-test.md").write_text(MATHS_PAGE)
    reference = sorted(p.relative_to(docs).as_posix() for p in (docs / "reference").glob("*.md"))
    config_text = (ROOT / "mkdocs.yml").read_text()
    hooks = _hooks_without_reports(config_text)
    lines = [
        f"INHERIT: {ROOT / 'mkdocs.yml'}",
        "docs_dir: docs",
        "site_dir: site",
        "hooks:",
        *(f"  - {hook}" for hook in hooks),
    ]
    if not full:
        lines += [
            "nav:",
            "  - index.md",
            "  - maths-test.md",
            "  - Reference:",
            *(f"      - {page}" for page in reference),
            # the stubs have no headings to link to; the full build checks those links
            "validation:",
            "  links:",
            "    not_found: info",
            "    anchors: info",
        ]
    (work / "mkdocs.yml").write_text("\n".join(lines) + "\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-6000:]}"
    print(f"site built in {elapsed:.1f} s")
    return work / "site"


def _pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text("utf-8")
        for p in site.rglob("*.html")
        if p.name != "404.html"
    }


def test_no_raw_markup_reaches_the_html(site: Path) -> None:
    pages = _pages(site)
    assert any(name.startswith("reference/") for name in pages)
    roles = rules = 0
    for name, text in pages.items():
        assert check_rendering.find_problems(text) == [], name
        visible = re.sub(r"<pre\b.*?</pre>", "", text, flags=re.S)
        roles += len(re.findall(r":(?:func|class|meth|attr|mod|data|math|obj|exc):", visible))
        plain = html.unescape(re.sub(r"<[^>]+>", "", visible))
        rules += len(re.findall(r"^\s*=+(?:\s+=+)+\s*$", plain, re.M))
    assert (roles, rules) == (0, 0)


def test_maths_is_mathml(site: Path) -> None:
    pages = _pages(site)
    for name in ("reference/evaluation/index.html", "reference/bayes/index.html"):
        text = pages[name]
        assert 'class="arithmatex"' not in text
        assert text.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"') > 5
        assert '<math class="arithmatex-block" xmlns="http://www.w3.org/1998/Math/MathML"' in text
    assert "<mtable" in pages["reference/bayes/index.html"]  # the aligned model equations
    guide = pages["maths-test/index.html"]
    assert guide.count("<math ") == 4
    assert guide.count('display="block"') == 2


def test_cross_references_are_links(site: Path) -> None:
    pages = _pages(site)
    estimate = re.compile(
        r'<a class="autorefs autorefs-internal"[^>]*href="[^"]*#statcraft\.'
        r'results\.Estimate"'
    )
    assert estimate.search(pages["reference/estimators/index.html"])
    # a short name resolved from the docstring's module: :func:`bootstrap` in jackknife's doc
    bootstrap = re.compile(
        r'href="[^"]*#statcraft\.resampling\.bootstrap"[^>]*>'
        r"<code>bootstrap\(\)</code></a>"
    )
    assert bootstrap.search(pages["reference/resampling/index.html"])
    # the RST tables' roles are links too
    assert re.search(
        r'<td><a class="autorefs[^>]*><code>KFold</code></a></td>',
        pages["reference/evaluation/index.html"],
    )


def test_tables_are_tables(site: Path) -> None:
    text = _pages(site)["reference/hypothesis_tests/index.html"]
    assert text.count("<table>") >= 10
    assert "<th>assumes</th>" in text


def test_long_signatures_are_split(site: Path) -> None:
    text = _pages(site)["reference/resampling/index.html"]
    start = text.index('id="statcraft.resampling.bootstrap"')
    block = re.search(r'<div class="doc-signature[^"]*"><pre>(.*?)</pre>', text[start:], re.S)
    assert block
    signature = html.unescape(re.sub(r"<[^>]+>", "", block[1])).strip().split("\n")
    assert signature[0] == "bootstrap("
    assert signature[-1].startswith(") -> BootstrapResult")
    assert len(signature) > 10
    assert max(len(line) for line in signature) <= 60


# --------------------------------------------------------------------------------------------
# every public name is on a reference page
# --------------------------------------------------------------------------------------------

PUBLIC_MODULES = (
    "statcraft",
    "statcraft.estimators",
    "statcraft.hypothesis_tests",
    "statcraft.resampling",
    "statcraft.evaluation",
    "statcraft.bayes",
    "statcraft.finance",
    "statcraft.health",
    "statcraft.datasets",
)


def _resolve(path: str) -> object | None:
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for part in parts[i:]:
                obj = getattr(obj, part)
        except AttributeError:
            return None
        return obj
    return None


def test_every_public_name_is_on_a_reference_page(site: Path) -> None:
    anchors: set[str] = set()
    for name, text in _pages(site).items():
        if name.startswith("reference/"):
            anchors |= set(re.findall(r'id="(statcraft(?:\.\w+)*)"', text))
    documented = {id(obj) for obj in map(_resolve, anchors) if obj is not None}
    missing = []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            if name.startswith("__"):
                continue  # __version__
            obj = getattr(module, name)
            if isinstance(obj, type(module)):  # a subpackage: documented through its members
                covered = any(a.startswith(obj.__name__ + ".") for a in anchors)
            else:
                covered = id(obj) in documented
            if not covered:
                missing.append(f"{module_name}.{name}")
    assert not missing, (
        f"public names on no reference page (add them to docs/reference/): {missing}"
    )
