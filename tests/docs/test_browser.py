"""The reports and the documentation site as a reader sees them, in headless Chromium.

Opens ``index.html`` of the case-study reports, one case-study page and one API page of the
built site, and checks that every image loads, that the headline numbers are on the page and
that the maths is typeset (MathML laid out with a size, no TeX left as text). Screenshots are
kept in ``build/screenshots/`` as test artefacts.

``make test`` builds what this test opens (quick-mode reports in ``build/reports-quick``, the site
in ``site/``) and installs Debian's ``chromium`` and ``chromium-driver`` when absent; run alone,
the test builds the reports and the site itself when they are missing. It is skipped, saying
why, only when Chromium is not installed and could not be.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from case_studies import CASE_STUDIES

ROOT = Path(__file__).resolve().parents[2]
REPORTS = Path(os.environ.get("STATCRAFT_REPORTS", ROOT / "build" / "reports-quick"))
SITE = Path(os.environ.get("STATCRAFT_SITE", ROOT / "site"))
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason=(
        "Debian's chromium and chromium-driver are not installed and could not be "
        "(`make test` runs `apt-get install chromium chromium-driver`); the browser test needs "
        "them to open the reports and the site"
    ),
)

# Every image of the page has loaded with real pixels.
BROKEN_IMAGES = """
return Array.from(document.images)
  .filter(img => !(img.complete && img.naturalWidth > 0))
  .map(img => img.getAttribute('src'));
"""
# Each <math> element is laid out with a size (typeset), and no TeX is left in the text.
MATHS = """
const maths = Array.from(document.querySelectorAll('math'));
const sized = maths.filter(m => { const r = m.getBoundingClientRect();
                                  return r.width > 0 && r.height > 0; });
const text = document.body.innerText;
return {count: maths.length, sized: sized.length,
        raw_tex: /\\\\(frac|sum|hat|mathrm|sigma|mu)\\b|\\$\\$/.test(text),
        arithmatex_left: document.querySelectorAll('.arithmatex').length};
"""


def _build_missing() -> None:
    """Make the quick reports and the site when they are not there (``make test`` makes both)."""
    env = {**os.environ, "MPLBACKEND": "Agg", "STATCRAFT_REPORTS": str(REPORTS)}
    if not (REPORTS / "index.html").is_file():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "statcraft.cli",
                "case-studies",
                "run",
                "--all",
                "--quick",
                "--out",
                str(REPORTS),
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
    if not (SITE / "index.html").is_file():
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(SITE)],
            check=True,
            env=env,
            cwd=ROOT,
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    _build_missing()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,2000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser: Any, path: Path, shot: str) -> dict[str, Any]:
    assert path.is_file(), f"{path} was not built"
    browser.get(path.resolve().as_uri())
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight); window.scrollTo(0, 0);")
    # images marked loading="lazy" load once they are near the viewport: make them eager
    browser.execute_script(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager');"
    )
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all(Array.from(document.images).map(i => i.complete ? null :"
        " new Promise(r => { i.onload = i.onerror = r; }))).then(() => done());"
    )
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1280, min(max(int(height), 800), 12000))
    browser.save_screenshot(str(SCREENSHOTS / f"{shot}.png"))
    return {
        "broken": browser.execute_script(BROKEN_IMAGES),
        "images": browser.execute_script("return document.images.length"),
        "maths": browser.execute_script(MATHS),
        "text": browser.execute_script("return document.body.innerText"),
    }


def _headlines(study_slug: str) -> list[dict[str, str]]:
    study = next(s for s in CASE_STUDIES if s.slug == study_slug)
    saved = json.loads((REPORTS / study.domain / study.slug / "results.json").read_text())
    return list(saved["headlines"])


def test_reports_index(browser: Any) -> None:
    page = _open(browser, REPORTS / "index.html", "reports_index")
    assert page["broken"] == []
    assert page["images"] == len(CASE_STUDIES)  # one key figure per study
    for study in CASE_STUDIES:
        for headline in _headlines(study.slug):
            assert headline["value"] in page["text"], (study.slug, headline)


def test_report_page_of_the_reports_folder(browser: Any) -> None:
    page = _open(browser, REPORTS / "healthcare" / "meta_analysis" / "report.html", "report")
    assert page["broken"] == []
    assert page["images"] >= 4
    maths = page["maths"]
    assert maths["count"] > 10 and maths["sized"] == maths["count"]
    assert not maths["raw_tex"]


def test_case_study_page_of_the_site(browser: Any) -> None:
    page = _open(browser, SITE / "case-studies" / "meta_analysis" / "index.html", "site_case_study")
    assert page["broken"] == []
    assert page["images"] >= 4
    for headline in _headlines("meta_analysis"):
        assert headline["value"] in page["text"], headline
    maths = page["maths"]
    assert maths["count"] > 10 and maths["sized"] == maths["count"]
    assert not maths["raw_tex"] and maths["arithmatex_left"] == 0


def test_api_page_of_the_site(browser: Any) -> None:
    page = _open(browser, SITE / "reference" / "evaluation" / "index.html", "site_api_evaluation")
    assert page["broken"] == []
    maths = page["maths"]
    assert maths["count"] > 10 and maths["sized"] == maths["count"]
    assert not maths["raw_tex"] and maths["arithmatex_left"] == 0
    for role in (":func:", ":class:", ":math:", ":meth:", "====="):
        assert role not in page["text"], role
