"""Plotly figures to PNG bytes for the weekly report, with kaleido driving the machine's
Chromium (kaleido 1.x cannot download a browser here, and mail clients run no JavaScript).

One browser session renders every figure: starting Chromium costs seconds, each figure a
fraction of one.
"""

from __future__ import annotations

import asyncio
import os
import shutil

# Debian's package is "chromium"; the other names cover Ubuntu, Fedora and Google Chrome.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class RenderError(RuntimeError):
    """The figures could not be drawn (no browser, no kaleido, or the browser failed)."""


class BrowserMissing(RenderError):
    """No Chromium on this machine."""


def find_browser() -> str | None:
    """The Chromium to draw with: ``BROWSER_PATH`` (choreographer's own override) when it
    names an executable, else the first of :data:`BROWSER_NAMES` on ``PATH``."""
    chosen = os.environ.get("BROWSER_PATH")
    if chosen and os.access(chosen, os.X_OK):
        return chosen
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


async def _render(figures: dict, browser: str) -> dict[str, bytes]:
    import kaleido  # optional: only drawing needs it (render_pngs reports it missing)

    # mathjax=False: kaleido would otherwise load MathJax from a CDN, and the report must
    # render without a network.
    async with kaleido.Kaleido(path=browser, mathjax=False, timeout=60) as k:
        out = {}
        for name, (fig, width, height) in figures.items():
            out[name] = await k.calc_fig(
                fig, opts={"format": "png", "width": width, "height": height, "scale": 2})
        return out


def render_pngs(figures: dict) -> dict[str, bytes]:
    """Render every figure to PNG in one browser session.

    Parameters
    ----------
    figures : dict
        name -> ``(plotly Figure, width_px, height_px)``.

    Returns
    -------
    dict
        name -> PNG bytes (drawn at twice the size for sharp text on phones).

    Raises
    ------
    BrowserMissing
        When there is no Chromium.
    RenderError
        With a one-line reason when drawing fails.
    """
    if not figures:
        return {}
    browser = find_browser()
    if browser is None:
        raise BrowserMissing("no Chromium found (install chromium or set BROWSER_PATH)")
    try:
        import kaleido  # noqa: F401 - optional: a report without charts is still written
    except ImportError:
        raise RenderError("kaleido is not installed") from None
    try:
        return asyncio.run(_render(figures, browser))
    except Exception as exc:  # any browser failure only costs the charts, never the report
        first = exc.args[0] if exc.args else ""
        # choreographer raises with a tuple of advice lines: the first one is the reason
        first = first[0] if isinstance(first, tuple) and first else first
        reason = " ".join(str(first).split())[:200] or type(exc).__name__
        raise RenderError(reason) from exc
