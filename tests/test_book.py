"""The book as a reader gets it: build the committed notebooks into HTML, open every page of the
table of contents in headless Chromium, and check that its math was typeset (MathJax, served with
the book) and that its figures are there. Screenshots of the intro and two chapters are kept
under ``build/screenshots/`` as artefacts of the test run.

Needs Debian's ``chromium`` (or ``chromium-browser`` / ``google-chrome``) on the PATH; without it
the test is skipped with a message saying so.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "screenshots"
SHOT_PAGES = ("book/intro", "notebooks/01_gan", "notebooks/09_mmd_gan")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
PNG = b"\x89PNG\r\n\x1a\n"


def _browser() -> str | None:
    return next((b for b in map(shutil.which, BROWSERS) if b), None)


def _toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part.get("chapters", [])]
    return pages


def _chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--virtual-time-budget=15000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    browser = _browser()
    if browser is None:
        pytest.skip("no headless browser: install Debian's chromium (apt-get install chromium) to test the rendered book")
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(ROOT), "--path-output", str(out), "--warningiserror", "--nitpick",
                           "--keep-going"], capture_output=True, text=True, timeout=900)
    warnings = [line for line in (proc.stdout + proc.stderr).splitlines() if "WARNING" in line or "ERROR" in line]
    assert proc.returncode == 0, "the book does not build cleanly:\n" + "\n".join(warnings[:30] or [proc.stdout[-3000:]])
    return browser, out / "_build" / "html", tmp_path_factory.mktemp("chromium")


def _render(browser: str, html: Path, page: str, profiles: Path) -> tuple[str, str]:
    path = html / f"{page}.html"
    assert path.exists(), f"{page} is in _toc.yml but {path.name} was not built"
    proc = _chromium(browser, profiles / page.replace("/", "_"), "--dump-dom", path.as_uri())
    assert proc.returncode == 0 and "</html>" in proc.stdout, f"chromium could not open {page}: {proc.stderr[-500:]}"
    return path.read_text(), proc.stdout


def test_every_page_renders_its_math_and_figures(built):
    browser, html, profiles = built
    pages = _toc_pages()
    assert len(pages) >= 5
    with ThreadPoolExecutor(max_workers=2) as pool:
        rendered = dict(zip(pages, pool.map(lambda p: _render(browser, html, p, profiles), pages)))
    problems = []
    for page, (source, dom) in rendered.items():
        math = len(re.findall(r'class="math notranslate', source))
        typeset = dom.count("<mjx-container")
        if typeset < math:
            problems.append(f"{page}: {typeset} of {math} formulas typeset (is book/_static/mathjax served?)")
        if re.search(r'<g[^>]*data-mml-node="merror"', dom):
            problems.append(f"{page}: MathJax reports a TeX error")
        figures = re.findall(r'<img[^>]+src="([^"]*_images/[^"]+)"', dom)
        if page.startswith("notebooks/") and not figures:
            problems.append(f"{page}: no figures")
        if page.startswith("notebooks/") and not math:
            problems.append(f"{page}: a chapter without equations")
        if page.startswith("notebooks/"):  # launch buttons: Colab, and the local JupyterLab of `make lab`
            launch = {"Colab": "https://colab.research.google.com/github/",
                      "local JupyterLab": f"http://localhost:8888/lab/tree/{page}.ipynb"}
            problems += [f"{page}: no {kind} launch button" for kind, href in launch.items() if f'href="{href}' not in dom]
        for src in figures:
            img = (html / page).parent / src
            if not img.exists() or (img.suffix == ".png" and img.read_bytes()[:8] != PNG):
                problems.append(f"{page}: figure {src} missing or not an image")
    assert not problems, "\n".join(problems)


def test_screenshots_of_the_intro_and_two_chapters(built):
    browser, html, profiles = built
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in SHOT_PAGES:
        target = SCREENSHOTS / f"{Path(page).name}.png"
        target.unlink(missing_ok=True)
        proc = _chromium(browser, profiles / ("shot_" + Path(page).name), "--window-size=1300,2000",
                         f"--screenshot={target}", (html / f"{page}.html").as_uri())
        assert proc.returncode == 0 and target.exists(), f"no screenshot of {page}: {proc.stderr[-500:]}"
        data = target.read_bytes()
        assert data[:8] == PNG and len(data) > 50_000, f"{target} looks empty ({len(data)} bytes)"
