"""Shared fixtures: one strict build of the real site for all site-level tests,
a local HTTP server for it, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

# Nothing is fetched from a model hub at test time: models come from config classes,
# tokenizers are trained on text kept in the repository.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "hooks"))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--no-default-browser-check"]


def run_mkdocs(config: Path, site: Path, cache: Path | None = None) -> subprocess.CompletedProcess:
    """A strict build; ``cache``: a cache folder of its own (fixture projects must not touch
    the developer's .cache, whose notebook conversions a fixture with other notebooks would evict)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("GUIDE_CACHE_DIR", None)
    if cache is not None:
        env["GUIDE_CACHE_DIR"] = str(cache)
    env.pop("SITE_URL", None)              # tests check the published URLs
    env.pop("GUIDE_NOTEBOOKS", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                           "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, env=env, cwd=config.parent)


class Build:
    def __init__(self, site: Path, log: str):
        self.site = site
        self.log = log

    def page(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    site = tmp_path_factory.mktemp("site")
    proc = run_mkdocs(ROOT / "mkdocs.yml", site)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{log[-4000:]}"
    return Build(site, log)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(built_site):
    handler = functools.partial(_Quiet, directory=str(built_site.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or \
        (("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.fail("Debian's chromium is needed for the browser tests: `apt-get install chromium` (make test does it as root)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Tab:
    """A page plus everything it logged and requested."""

    def __init__(self, page, base: str):
        self.page = page
        self.base = base
        self.console: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(r.url))
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def goto(self, path: str):
        self.page.goto(self.base + path.lstrip("/"), wait_until="load")
        self.page.wait_for_timeout(300)
        return self.page

    def third_party(self) -> list[str]:
        return [u for u in self.requests if not (u.startswith(self.base) or u.startswith("data:") or u.startswith("blob:"))]


@pytest.fixture
def tab(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield Tab(page, server)
    context.close()
