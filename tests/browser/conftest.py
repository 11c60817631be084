"""Headless Chromium for the map page: Debian's browser, every non-local request blocked.

Playwright's own browser download does not work here, so the tests drive the system
Chromium at ``/usr/bin/chromium`` (``MAPPER_CHROMIUM`` overrides). Without it the tests
skip with a reason, unless ``MAPPER_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes
them fail, so CI cannot pass by silently skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("MAPPER_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
LOCAL = ("file:", "data:", "blob:", "about:")


def _unavailable(reason: str) -> None:
    if os.environ.get("MAPPER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; MAPPER_REQUIRE_BROWSER=1 forbids skipping the browser tests",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM}; install it with 'apt-get install chromium'")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, and blocked requests."""

    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def open_map(browser: Any, tmp_path: Path) -> Iterator[Callable[..., tuple[Any, PageLog]]]:
    """Open an HTML page from a file, with the network cut off and everything logged.

    ``files`` are written beside it (pages it frames); ``ready`` is the JavaScript
    condition to wait for.
    """
    contexts = []

    def _open(html: str, *, files: dict[str, str] | None = None,
              ready: str = "window.__mapReady !== undefined") -> tuple[Any, PageLog]:
        path = tmp_path / f"map{len(contexts)}.html"
        path.write_text(html, encoding="utf-8")
        for name, text in (files or {}).items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        log = PageLog()

        def route(r: Any) -> None:
            if r.request.url.startswith(LOCAL):
                r.continue_()
            else:
                log.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("request", lambda req: None if req.url.startswith(LOCAL)
                else log.blocked.append(req.url))
        page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: log.errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function(ready, timeout=15_000)
        return page, log

    yield _open
    for context in contexts:
        context.close()
