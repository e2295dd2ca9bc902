"""Self-contained maps: folium's CDN scripts and stylesheets replaced by local copies.

A folium 0.20 map loads Leaflet, jQuery, Bootstrap, Leaflet.awesome-markers, Font Awesome,
Bootstrap 3 glyphicons and a rotate stylesheet from CDNs, plus each plugin's own files (and
branca's colour scales load d3). :func:`inline_assets` replaces every such ``<script src>`` and
``<link rel="stylesheet">`` with an inline ``<script>`` or ``<style>`` holding the local file,
and turns every ``url(...)`` in the stylesheets (fonts, marker images, control icons) into a
``data:`` URI, so the saved map opens with no network at all (map tiles aside).

Where the files come from (never from a file copied by hand into the repository):

* **npm packages** pinned to exact versions in the repository's ``package.json`` (and
  ``package-lock.json``); ``npm ci`` in the repository installs them in ``node_modules``.
* **Python packages**: folium's wheel ships ``templates/leaflet_heat.min.js``.
* **Generated**: folium's ``leaflet.awesome.rotate.min.css`` is not in folium's wheel; it is
  360 rules ``.fa-rotate-N {transform: rotate(Ndeg)}`` (N = 1..360, with the ``-ms-`` and
  ``-webkit-`` prefixes), which this module writes out by the same rule.

How the npm files are found, first match wins:

1. the ``assets_dir`` argument (a ``node_modules`` folder, or a folder holding one);
2. the environment variable ``GEO_TRYGG_ASSETS`` (same meaning);
3. ``node_modules`` in the source checkout the package runs from (the folder holding
   ``package.json`` next to ``geo_trygg/``), filled by ``npm ci``.

:func:`asset_table` lists every known CDN address, its local source and whether it was found.
docs/maps-assets.md explains the choices where the CDN version is not on npm.
"""

from __future__ import annotations

import base64
import functools
import html as html_lib
import importlib.metadata
import importlib.resources
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg

__all__ = [
    "ASSETS",
    "ASSETS_FOLDER",
    "Asset",
    "asset_table",
    "find_remote_assets",
    "inline_assets",
    "link_assets",
    "write_map_assets",
]

ENV_VAR = "GEO_TRYGG_ASSETS"
REPO = Path(__file__).resolve().parents[2]

_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"
_JSD = "https://cdn.jsdelivr.net"
_FOLIUM_GH = f"{_JSD}/gh/python-visualization/folium"


@dataclass(frozen=True)
class Asset:
    """One remote file a folium map loads, and where its local copy comes from.

    ``origin`` is ``"npm"`` (``package`` is the folder under ``node_modules``, ``npm_name``
    the package on the registry when the folder is an alias), ``"python"`` (``package`` is an
    importable package and ``path`` a file inside it) or ``"generated"`` (written by this
    module; see ``note``).
    """

    url: str
    kind: str  # "js" or "css"
    origin: str
    package: str
    version: str
    path: str
    used_by: str
    note: str = ""
    npm_name: str = ""

    @property
    def source(self) -> str:
        """Short human-readable name of the local source."""
        if self.origin == "npm":
            name = self.npm_name or self.package
            alias = f" (as {self.package})" if self.npm_name else ""
            return f"npm:{name}@{self.version}/{self.path}{alias}"
        if self.origin == "python":
            return f"python:{self.package}/{self.path}"
        return f"generated:{self.path}"


def _npm(
    url: str, kind: str, package: str, version: str, path: str, used_by: str, **kw: str
) -> Asset:
    return Asset(url, kind, "npm", package, version, path, used_by, **kw)


_JSD_MIN = (
    "jsDelivr makes .min files on the fly from the package's file; the package's own "
    "(unminified) file is the same code"
)

# fmt: off
ASSETS: tuple[Asset, ...] = (
    # --- folium.Map (folium.folium._default_js / _default_css) ---------------------------
    _npm(f"{_JSD}/npm/leaflet@1.9.3/dist/leaflet.js", "js", "leaflet", "1.9.3",
         "dist/leaflet.js", "folium.Map"),
    _npm("https://code.jquery.com/jquery-3.7.1.min.js", "js", "jquery", "3.7.1",
         "dist/jquery.min.js", "folium.Map",
         note="code.jquery.com names the release's dist/jquery.min.js jquery-3.7.1.min.js"),
    _npm(f"{_JSD}/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js", "js", "bootstrap",
         "5.2.2", "dist/js/bootstrap.bundle.min.js", "folium.Map"),
    _npm(f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js", "js",
         "drmonty-leaflet-awesome-markers", "2.0.2", "js/leaflet.awesome-markers.js",
         "folium.Map",
         note="the upstream package leaflet.awesome-markers has no 2.0.2 on npm; "
         "drmonty-leaflet-awesome-markers@2.0.2 republishes the 2.0.2 release that cdnjs serves"),
    _npm(f"{_JSD}/npm/leaflet@1.9.3/dist/leaflet.css", "css", "leaflet", "1.9.3",
         "dist/leaflet.css", "folium.Map"),
    _npm(f"{_JSD}/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css", "css", "bootstrap", "5.2.2",
         "dist/css/bootstrap.min.css", "folium.Map"),
    _npm("https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css", "css",
         "bootstrap3", "3.1.1", "dist/css/bootstrap.css", "folium.Map", npm_name="bootstrap",
         note="Bootstrap 3.0.0 is not on npm (its oldest 3.x is 3.1.1); the glyphicon rules "
         "(@font-face 'Glyphicons Halflings', .glyphicon, .glyphicon-*) are taken from "
         "bootstrap@3.1.1's bootstrap.css, whose fonts they reference"),
    _npm(f"{_JSD}/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css", "css",
         "@fortawesome/fontawesome-free", "6.2.0", "css/all.min.css", "folium.Map"),
    _npm(f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css", "css",
         "drmonty-leaflet-awesome-markers", "2.0.2", "css/leaflet.awesome-markers.css",
         "folium.Map", note="see leaflet.awesome-markers.js"),
    Asset(f"{_FOLIUM_GH}/folium/templates/leaflet.awesome.rotate.min.css", "css", "generated",
          "folium", "", "leaflet.awesome.rotate.min.css", "folium.Map",
          note="not in folium's wheel (only in its source archive); 360 rules "
          ".fa-rotate-N{transform:rotate(Ndeg)} for N = 1..360, written by the same rule"),
    # --- branca.colormap (LinearColormap, StepColormap) ----------------------------------
    _npm(f"{_CDNJS}/d3/3.5.5/d3.min.js", "js", "d3", "3.5.5", "d3.min.js", "branca.colormap"),
    # --- folium.plugins ---------------------------------------------------------------------
    _npm(f"{_JSD}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js", "js",
         "leaflet.fullscreen", "3.0.0", "Control.FullScreen.js", "Fullscreen", note=_JSD_MIN),
    _npm(f"{_JSD}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css", "css",
         "leaflet.fullscreen", "3.0.0", "Control.FullScreen.css", "Fullscreen"),
    _npm(f"{_CDNJS}/leaflet-minimap/3.6.1/Control.MiniMap.js", "js", "leaflet-minimap",
         "3.6.1", "src/Control.MiniMap.js", "MiniMap"),
    _npm(f"{_CDNJS}/leaflet-minimap/3.6.1/Control.MiniMap.css", "css", "leaflet-minimap",
         "3.6.1", "src/Control.MiniMap.css", "MiniMap"),
    _npm(f"{_JSD}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js", "js",
         "leaflet-measure", "2.1.7", "dist/leaflet-measure.min.js", "MeasureControl",
         note="the npm release 2.1.7 of the GitHub tag 2.1.7"),
    _npm(f"{_JSD}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css", "css",
         "leaflet-measure", "2.1.7", "dist/leaflet-measure.css", "MeasureControl",
         note=_JSD_MIN),
    _npm(f"{_JSD}/npm/leaflet-search@2.9.7/dist/leaflet-search.min.js", "js", "leaflet-search",
         "2.9.7", "dist/leaflet-search.min.js", "Search"),
    _npm(f"{_JSD}/npm/leaflet-search@2.9.7/dist/leaflet-search.min.css", "css",
         "leaflet-search", "2.9.7", "dist/leaflet-search.min.css", "Search"),
    Asset(f"{_FOLIUM_GH}@main/folium/templates/leaflet_heat.min.js", "js", "python", "folium",
          "", "templates/leaflet_heat.min.js", "HeatMap"),
    _npm(f"{_CDNJS}/leaflet.markercluster/1.1.0/leaflet.markercluster.js", "js",
         "leaflet.markercluster", "1.1.0", "dist/leaflet.markercluster.js",
         "MarkerCluster, FastMarkerCluster"),
    _npm(f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.css", "css",
         "leaflet.markercluster", "1.1.0", "dist/MarkerCluster.css",
         "MarkerCluster, FastMarkerCluster"),
    _npm(f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.Default.css", "css",
         "leaflet.markercluster", "1.1.0", "dist/MarkerCluster.Default.css",
         "MarkerCluster, FastMarkerCluster"),
    _npm(f"{_CDNJS}/leaflet-groupedlayercontrol/0.6.1/leaflet.groupedlayercontrol.min.js", "js",
         "leaflet-groupedlayercontrol", "0.6.1", "dist/leaflet.groupedlayercontrol.min.js",
         "GroupedLayerControl"),
    _npm(f"{_CDNJS}/leaflet-groupedlayercontrol/0.6.1/leaflet.groupedlayercontrol.min.css",
         "css", "leaflet-groupedlayercontrol", "0.6.1",
         "dist/leaflet.groupedlayercontrol.min.css", "GroupedLayerControl"),
    # the same jQuery file under the address TimestampedGeoJson uses
    _npm(f"{_CDNJS}/jquery/3.7.1/jquery.min.js", "js", "jquery", "3.7.1", "dist/jquery.min.js",
         "TimestampedGeoJson"),
)
# fmt: on

_BY_URL = {a.url.split("://", 1)[1]: a for a in ASSETS}

# --- finding the files --------------------------------------------------------------------


def _node_modules(assets_dir: str | Path | None) -> Path | None:
    """The node_modules folder to use (None when there is none)."""
    if assets_dir is not None:
        given, how = Path(assets_dir), "assets_dir"
    elif os.environ.get(ENV_VAR):
        given, how = Path(os.environ[ENV_VAR]), ENV_VAR
    else:
        return REPO / "node_modules" if (REPO / "node_modules").is_dir() else None
    if (given / "node_modules").is_dir():
        given = given / "node_modules"
    if not given.is_dir():
        raise ConfigError(msg("maps_assets_dir_invalid", name=how, value=str(given)))
    return given


def _install_hint() -> str:
    if (REPO / "package.json").is_file():
        return msg("maps_assets_hint_repo", repo=str(REPO), env=ENV_VAR)
    specs = sorted(
        {
            f"{a.package}@npm:{a.npm_name}@{a.version}"
            if a.npm_name
            else f"{a.package}@{a.version}"
            for a in ASSETS
            if a.origin == "npm"
        }
    )
    return msg("maps_assets_hint_install", specs=" ".join(specs), env=ENV_VAR)


def _npm_version(folder: Path) -> str | None:
    try:
        data = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("version")
    return version if isinstance(version, str) else None


def _locate(asset: Asset, node_modules: Path | None) -> tuple[Path | None, str | None]:
    """Local file of ``asset`` (None when missing) and the version installed."""
    if asset.origin == "generated":
        return None, asset.version
    if asset.origin == "python":
        try:
            version = importlib.metadata.version(asset.package)
            ref = importlib.resources.files(asset.package).joinpath(asset.path)
        except (ImportError, importlib.metadata.PackageNotFoundError):
            return None, None
        path = Path(str(ref))
        return (path if path.is_file() else None), version
    if node_modules is None:
        return None, None
    folder = node_modules / asset.package
    installed = _npm_version(folder)
    path = folder / asset.path
    return (path if path.is_file() and installed == asset.version else None), installed


def _located(
    assets: Iterable[Asset], node_modules: Path | None
) -> dict[Asset, tuple[Path | None, str | None]]:
    """Each asset's file and installed version; ConfigError listing every one not installed
    at its version (but generated ones) and how to install them."""
    located = {a: _locate(a, node_modules) for a in assets}
    missing = [
        f"{a.source} (installed: {installed or '-'})"
        for a, (path, installed) in sorted(located.items(), key=lambda kv: kv[0].url)
        if a.origin != "generated" and path is None
    ]
    if missing:
        where = str(node_modules) if node_modules is not None else "-"
        raise ConfigError(
            msg("maps_assets_missing", files="; ".join(missing), where=where)
            + " "
            + _install_hint()
        )
    return located


def asset_table(*, assets_dir: str | Path | None = None) -> pd.DataFrame:
    """Every remote file geo_trygg can inline, its local source and whether it was found.

    Parameters
    ----------
    assets_dir : str or Path, optional
        A ``node_modules`` folder (see the module docstring for the default).

    Returns
    -------
    pandas.DataFrame
        One row per known address: ``url``, ``kind`` (js/css), ``used_by`` (the folium or
        branca element that emits it), ``source`` (npm package, Python package or generated),
        ``version`` (expected), ``installed`` (version found), ``found`` (bool),
        ``local_path`` and ``note``.

    Examples
    --------
    >>> table = asset_table()
    >>> bool(table["url"].str.contains("leaflet@1.9.3/dist/leaflet.js").any())
    True
    """
    node_modules = _node_modules(assets_dir)
    rows = []
    for asset in ASSETS:
        path, installed = _locate(asset, node_modules)
        found = asset.origin == "generated" or path is not None
        rows.append(
            {
                "url": asset.url,
                "kind": asset.kind,
                "used_by": asset.used_by,
                "source": asset.source,
                "version": asset.version or (installed or ""),
                "installed": installed or "",
                "found": found,
                "local_path": str(path) if path is not None else "",
                "note": asset.note,
            }
        )
    return pd.DataFrame(rows)


# --- reading and rewriting the files ---------------------------------------------------

# fmt: off
_MIME = {
    ".png": "image/png", ".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml", ".webp": "image/webp", ".ico": "image/x-icon",
    ".cur": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
    ".otf": "font/otf", ".eot": "application/vnd.ms-fontobject",
}
# fmt: on
# Font formats from best to worst; of a @font-face's sources only the best one present is kept
# (every browser that runs the maps reads woff2, and woff where woff2 is missing).
_FONT_PREFERENCE = (".woff2", ".woff", ".ttf", ".otf", ".svg", ".eot")

_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_CSS_URL = re.compile(
    r"""url\(\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^)"'\s]*))\s*\)""", re.I
)
_FONT_FACE = re.compile(r"@font-face\s*\{[^{}]*\}", re.I)
_SRC_DECL = re.compile(r"(?<![\w-])src\s*:\s*(?P<value>[^;{}]*);?", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_JS_SOURCEMAP = re.compile(r"^[ \t]*//[#@][ \t]*sourceMappingURL=\S*[ \t]*$", re.M)
_CSS_SOURCEMAP = re.compile(r"/\*[#@]\s*sourceMappingURL=[^*]*\*/")
_CLOSE_SCRIPT = re.compile(r"</(script)", re.I)
_CLOSE_STYLE = re.compile(r"</(style)", re.I)


def _escape_js(text: str) -> str:
    """Make ``text`` safe inside ``<script>``: it cannot close the element or open a comment.

    ``<\\/script`` and ``\\x3C!--`` mean the same as ``</script`` and ``<!--`` in JavaScript
    strings, template literals and regular expressions, where such text can occur.
    """
    return _CLOSE_SCRIPT.sub(r"<\\/\1", text).replace("<!--", "\\x3C!--")


def _escape_css(text: str) -> str:
    """Make ``text`` safe inside ``<style>``: ``</style`` becomes ``<\\/style``."""
    return _CLOSE_STYLE.sub(r"<\\/\1", text)


def _split_top_level(value: str) -> list[str]:
    """Split a CSS value at commas outside parentheses and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(value):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


def _url_suffix(ref: str) -> str:
    return Path(unquote(urlsplit(ref).path)).suffix.lower()


def _refs(text: str) -> list[str]:
    return [
        m.group("dq") or m.group("sq") or m.group("bare") or "" for m in _CSS_URL.finditer(text)
    ]


def _prune_font_formats(css: str) -> str:
    """Keep only the best font format of each ``@font-face`` (see ``_FONT_PREFERENCE``)."""

    def face(match: re.Match[str]) -> str:
        block = match.group(0)
        suffixes = {_url_suffix(r) for r in _refs(block) if not r.startswith("data:")}
        best = next((s for s in _FONT_PREFERENCE if s in suffixes), None)
        if best is None:
            return block

        def decl(m: re.Match[str]) -> str:
            kept = [
                entry
                for entry in _split_top_level(m.group("value"))
                if not _refs(entry) or any(_url_suffix(r) == best for r in _refs(entry))
            ]
            if not any(_refs(entry) for entry in kept):
                return ""
            return f"src:{','.join(kept)};"

        return _SRC_DECL.sub(decl, block)

    return _FONT_FACE.sub(face, css)


@functools.lru_cache(maxsize=128)
def _data_uri(path: str, mtime_ns: int, size: int) -> str:
    mime = _MIME.get(Path(path).suffix.lower(), "application/octet-stream")
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:{mime};base64,{data}"


def _file_data_uri(path: Path) -> str:
    stat = path.stat()
    return _data_uri(str(path), stat.st_mtime_ns, stat.st_size)


def _embed_urls(css: str, base: Path, label: str) -> str:
    """Replace each relative ``url(...)`` in ``css`` by a data: URI of the file it names."""
    problems: list[str] = []

    def repl(match: re.Match[str]) -> str:
        ref = match.group("dq") or match.group("sq") or match.group("bare") or ""
        if not ref or ref.startswith(("data:", "#")):
            return match.group(0)
        if _REMOTE.match(ref):
            problems.append(f"{ref} ({label})")
            return match.group(0)
        target = base / unquote(urlsplit(ref).path)
        if not target.is_file():
            problems.append(f"{ref} ({label}: {target})")
            return match.group(0)
        return f'url("{_file_data_uri(target)}")'

    out = _CSS_URL.sub(repl, css)
    if problems:
        raise ConfigError(msg("maps_asset_css_missing", refs="; ".join(problems)))
    return out


def _glyphicons_only(css: str) -> str:
    """The glyphicon rules of Bootstrap 3's bootstrap.css (what bootstrap-glyphicons.css held)."""
    css = _CSS_COMMENT.sub("", css)
    kept, i = [], 0
    while True:
        start = css.find("{", i)
        if start < 0:
            break
        depth, end = 1, start + 1
        while end < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        prelude = css[i:start].rsplit(";", 1)[-1].strip()
        body = css[start:end]
        selectors = [s.strip() for s in prelude.split(",")]
        if (prelude.lower().startswith("@font-face") and "Glyphicons Halflings" in body) or all(
            s.startswith(".glyphicon") for s in selectors
        ):
            kept.append(prelude + " " + body)
        i = end
    return "\n".join(kept) + "\n"


def _rotate_css() -> str:
    return "".join(
        f".fa-rotate-{n}{{-ms-transform:rotate({n}deg); -webkit-transform:rotate({n}deg); "
        f"transform:rotate({n}deg);}}\n"
        for n in range(1, 361)
    )


@functools.lru_cache(maxsize=64)
def _file_content(asset: Asset, path: str, mtime_ns: int, size: int) -> str:
    text = Path(path).read_text(encoding="utf-8")
    if asset.kind == "js":
        return _escape_js(_JS_SOURCEMAP.sub("", text))
    text = _CSS_SOURCEMAP.sub("", text)
    if asset.package == "bootstrap3":
        text = _glyphicons_only(text)
    text = _embed_urls(_prune_font_formats(text), Path(path).parent, asset.source)
    return _escape_css(text)


def _leaflet_icons(leaflet_js: Path) -> str:
    """Script that points Leaflet's default marker icon at data: URIs.

    Leaflet finds its marker images from the path of ``marker-icon.png`` in leaflet.css;
    with a data: URI there it would build broken addresses, so the images are set directly.
    """
    images = leaflet_js.parent / "images"
    options = {
        "iconUrl": _file_data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _file_data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _file_data_uri(images / "marker-shadow.png"),
    }
    return (
        '\n<script data-asset="leaflet default icon">'
        'L.Icon.Default.imagePath = "";'
        f"L.Icon.Default.mergeOptions({json.dumps(options, sort_keys=True)});</script>"
    )


def _content(asset: Asset, path: Path | None) -> str:
    if asset.origin == "generated":
        return _rotate_css()
    assert path is not None
    stat = path.stat()
    return _file_content(asset, str(path), stat.st_mtime_ns, stat.st_size)


# --- the HTML ------------------------------------------------------------------------------

_TAGS = re.compile(
    r"(?P<comment><!--.*?-->)"
    r"|<script\b(?P<sattrs>[^>]*)>(?P<sbody>.*?)</script\s*>"
    r"|<style\b[^>]*>.*?</style\s*>"
    r"|<link\b(?P<lattrs>[^>]*?)/?>",
    re.I | re.S,
)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = m.group(2) if m.group(2) is not None else m.group(3) or m.group(4) or ""
        out.setdefault(m.group(1).lower(), html_lib.unescape(value))
    return out


def _remote_ref(match: re.Match[str]) -> tuple[str, str] | None:
    """("js"/"css"/"link", url) when the tag loads something over the network."""
    if match.group("sattrs") is not None:
        src = _attrs(match.group("sattrs")).get("src")
        return ("js", src) if src and _REMOTE.match(src) else None
    if match.group("lattrs") is not None:
        attrs = _attrs(match.group("lattrs"))
        href = attrs.get("href")
        if href and _REMOTE.match(href):
            rel = attrs.get("rel", "").lower().split()
            return ("css" if "stylesheet" in rel else "link", href)
    return None


def _known(url: str) -> Asset | None:
    return _BY_URL.get(url.strip().split("//", 1)[1])


def find_remote_assets(html: str) -> list[str]:
    """Addresses of the scripts, stylesheets and other links ``html`` loads from the network.

    Parameters
    ----------
    html : str
        A whole HTML page (e.g. ``folium.Map.get_root().render()``).

    Returns
    -------
    list of str
        The ``src`` of every remote ``<script>`` and the ``href`` of every remote ``<link>``,
        in document order (text inside inline scripts and comments is not looked at).

    Examples
    --------
    >>> find_remote_assets('<script src="https://x.org/a.js"></script><script>1</script>')
    ['https://x.org/a.js']
    """
    return [ref[1] for m in _TAGS.finditer(html) if (ref := _remote_ref(m)) is not None]


def inline_assets(html: str, *, assets_dir: str | Path | None = None) -> str:
    """Replace every CDN script and stylesheet of a folium page by its local copy, inline.

    Stylesheets get their fonts and images as ``data:`` URIs, so the page needs no network
    (map tiles aside). Inlined text cannot close its element (``</script`` becomes
    ``<\\/script``, ``</style`` becomes ``<\\/style``). A file loaded under two addresses
    (jQuery) is inlined once.

    Parameters
    ----------
    html : str
        A whole HTML page, e.g. ``folium.Map.get_root().render()``.
    assets_dir : str or Path, optional
        A ``node_modules`` folder installed from geo_trygg's package.json. Default: the
        environment variable ``GEO_TRYGG_ASSETS``, else ``node_modules`` of the source
        checkout (made by ``npm ci``).

    Returns
    -------
    str
        The page with every remote ``<script src>`` and ``<link rel="stylesheet">`` inlined.

    Raises
    ------
    ConfigError
        Naming every remote address geo_trygg has no local copy of (see :func:`asset_table`),
        or when the local files are missing or of another version (saying how to get them).

    Examples
    --------
    >>> inline_assets("<p>no scripts</p>")
    '<p>no scripts</p>'
    """
    matches = [(m, ref) for m in _TAGS.finditer(html) if (ref := _remote_ref(m)) is not None]
    if not matches:
        return html
    unknown = [url for _, (kind, url) in matches if kind == "link" or _known(url) is None]
    if unknown:
        raise ConfigError(msg("maps_asset_unknown", urls=", ".join(dict.fromkeys(unknown))))
    node_modules = _node_modules(assets_dir)
    needed = {a for a in (_known(url) for _, (_, url) in matches) if a is not None}
    located = _located(needed, node_modules)

    parts, pos, done = [], 0, set()
    for match, (_, url) in matches:
        asset = _known(url)
        assert asset is not None
        parts.append(html[pos : match.start()])
        pos = match.end()
        path = located[asset][0]
        key = str(path) if path is not None else asset.url
        if key in done:
            continue
        done.add(key)
        body = _content(asset, path)
        label = html_lib.escape(asset.source, quote=True)
        if asset.kind == "js":
            parts.append(f'<script data-asset="{label}">\n{body}\n</script>')
            if asset.package == "leaflet" and path is not None:
                parts.append(_leaflet_icons(path))
        else:
            parts.append(f'<style data-asset="{label}">\n{body}\n</style>')
    parts.append(html[pos:])
    return "".join(parts)


# --- one shared folder of assets (meeting packs) ------------------------------------------

ASSETS_FOLDER = "_karta"
"""The name of a pack's shared map-assets folder (beside ``index.html``)."""
_ICONS_FILE = "leaflet-default-icon.js"


def _file_name(asset: Asset) -> str:
    """The asset's file name in a shared folder: package, version and file name, ASCII."""
    base = Path(asset.path).name
    if asset.origin == "generated":
        return base
    stem = f"{asset.package}-{asset.version}" if asset.version else asset.package
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem.lstrip("@"))
    return f"{safe}-{base}"


def write_map_assets(folder: str | Path, *, assets_dir: str | Path | None = None) -> list[Path]:
    """Write every script and stylesheet a map loads into ``folder``, for maps saved with
    ``save_map(..., assets=<relative path to folder>)``.

    Stylesheets carry their fonts and images as ``data:`` URIs (one file each); scripts are
    the packages' own files. The same installed files give the same bytes.

    Parameters
    ----------
    folder : str or pathlib.Path
        Created when missing.
    assets_dir : str or Path, optional
        A ``node_modules`` folder (see :func:`inline_assets`).

    Returns
    -------
    list of pathlib.Path
        The files written, sorted.

    Raises
    ------
    ConfigError
        When a file is missing or of another version (saying how to get them).
    """
    node_modules = _node_modules(assets_dir)
    located = _located(ASSETS, node_modules)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for asset in ASSETS:
        name = _file_name(asset)
        if name in written:
            continue
        path = located[asset][0]
        target = out / name
        target.write_text(_content(asset, path) + "\n", encoding="utf-8", newline="\n")
        written[name] = target
        if asset.package == "leaflet" and asset.kind == "js" and path is not None:
            icons = _leaflet_icons(path)
            body = icons.split(">", 1)[1].rsplit("</script>", 1)[0]
            (out / _ICONS_FILE).write_text(body + "\n", encoding="utf-8", newline="\n")
            written[_ICONS_FILE] = out / _ICONS_FILE
    return sorted(written.values())


def link_assets(html: str, base: str) -> str:
    """Point every known CDN script and stylesheet of ``html`` at its file in the shared
    folder ``base`` (a relative address such as ``"../../_karta"``, written by
    :func:`write_map_assets`); addresses geo_trygg does not know stay as they are."""
    parts, pos, done = [], 0, set()
    prefix = base.rstrip("/") + "/"
    for match in _TAGS.finditer(html):
        ref = _remote_ref(match)
        asset = _known(ref[1]) if ref is not None and ref[0] != "link" else None
        if asset is None:
            continue
        parts.append(html[pos : match.start()])
        pos = match.end()
        name = _file_name(asset)
        if name in done:
            continue
        done.add(name)
        href = html_lib.escape(prefix + name, quote=True)
        if asset.kind == "js":
            parts.append(f'<script src="{href}"></script>')
            if asset.package == "leaflet":
                icons = html_lib.escape(prefix + _ICONS_FILE, quote=True)
                parts.append(f'\n<script src="{icons}"></script>')
        else:
            parts.append(f'<link rel="stylesheet" href="{href}"/>')
    parts.append(html[pos:])
    return "".join(parts)
