"""Writing a map: deterministic bytes, self-contained on request."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import folium

from geo_trygg._errors import ConfigError
from geo_trygg.maps._assets import inline_assets, link_assets
from geo_trygg.maps._html import stable_ids
from geo_trygg.maps._safe import raw_elements

__all__ = ["map_html", "save_map"]


def map_html(
    m: folium.Map, *, self_contained: bool | None = None, assets: str | None = None
) -> str:
    """The map's HTML: element ids made stable (same inputs, same bytes) and, when
    ``self_contained`` (default: as the map was built with), every script, stylesheet, font
    and image inlined (:func:`~geo_trygg.maps._assets.inline_assets`); else, with ``assets``
    (a relative address of a folder written by :func:`~geo_trygg.maps._assets.
    write_map_assets`), every known script and stylesheet loaded from that folder. Any folium
    map's rendered output is kept as data, never compiled as a template again
    (:func:`~geo_trygg.maps._safe.raw_elements`)."""
    if not isinstance(m, folium.Map):
        raise ConfigError(f"m must be a folium.Map (from lagesbild_map); got {type(m).__name__}")
    if assets is not None and (not isinstance(assets, str) or not assets or "://" in assets):
        raise ConfigError(f"assets={assets!r} must be a relative address such as '../_karta'")
    inline = (
        getattr(m, "geo_trygg_self_contained", False) if self_contained is None else self_contained
    )
    with raw_elements():
        html = stable_ids(m.get_root().render())
    html = _accessible(
        html, getattr(m, "geo_trygg_lang", None), getattr(m, "geo_trygg_title", None)
    )
    if inline:
        return inline_assets(html)
    return link_assets(html, assets) if assets is not None else html


_NO_ZOOM = re.compile(r'<meta name="viewport" content="[^"]*user-scalable=no[^"]*"\s*/>')


def _accessible(html: str, lang: str | None, title: str | None) -> str:
    """What folium's page lacks for screen readers and zoom (WCAG 2.1): the page's language,
    a title, and a viewport that lets the reader zoom."""
    if lang in ("sv", "en") and html.startswith("<!DOCTYPE html>\n<html>"):
        html = html.replace("<html>", f'<html lang="{lang}">', 1)
    if title and "<title>" not in html:
        html = html.replace("<head>", f"<head>\n    <title>{escape(title)}</title>", 1)
    return _NO_ZOOM.sub(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0" />', html, 1
    )


def save_map(
    m: folium.Map,
    path: str | Path,
    *,
    self_contained: bool | None = None,
    assets: str | None = None,
) -> Path:
    """Write the map to ``path`` (UTF-8), deterministically.

    Parameters
    ----------
    m : folium.Map
        From :func:`~geo_trygg.maps.lagesbild_map`.
    path : str or pathlib.Path
    self_contained : bool, optional
        Inline every asset so the file works with no network (tiles aside); default: as
        ``lagesbild_map(..., self_contained=...)`` said.
    assets : str, optional
        When not self-contained: the relative address (from ``path``'s folder) of a shared
        assets folder written by :func:`~geo_trygg.maps.write_map_assets`, which the page then
        loads its scripts and stylesheets from (no network needed); default: the CDNs.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ConfigError
        Not a folium map, or (self-contained) assets that are not installed — the message
        says how to get them.
    """
    out = Path(path)
    out.write_bytes(map_html(m, self_contained=self_contained, assets=assets).encode("utf-8"))
    return out
