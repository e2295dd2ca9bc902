"""The ``geo-trygg`` command line: ``demo``, ``build``, ``validate``, ``join``, ``boundaries``.

Exit codes of ``validate``: 0 every row accepted, 1 some rows rejected, 2 the file cannot be
read at all (or a bad option).

Every command, instead of a traceback:

- Ctrl-C, also while the libraries load (they are imported by the commands, not by this
  module or ``import geo_trygg``), prints ``Avbrutet.`` (``Interrupted.``) and exits 130, the
  shell's code for SIGINT;
- a full disk, a used-up quota, a read-only file system or a missing permission prints a
  message naming the file and exits 2; so does any other file error and any other geo_trygg
  error;
- a file of another kind than ``--kind`` (a police events API JSON file, a findings table
  given as events, a plain point table given as findings…) is named with the right
  ``--kind``.

Data reaches the terminal as text: file values, area names, notes and paths are printed as
rich ``Text`` on consoles with markup and emoji codes off, so ``[/]`` or ``[link=…]`` in a value
is printed as written and never read as markup.
"""

from __future__ import annotations

import errno
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from geo_trygg import settings
from geo_trygg._errors import ConfigError, GeoTryggError, ReadError
from geo_trygg._labels import msg

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from geo_trygg.io.result import IngestResult

__all__ = ["main"]

KINDS = ("findings", "events", "points", "areas")
POINT_KINDS = ("findings", "events", "points")
_OUT = "geo_trygg.out"
"""``ctx.meta`` key of the path a command writes (named when a write fails without a path)."""

_WRITE_REASONS = {
    errno.ENOSPC: "cli_os_enospc",
    getattr(errno, "EDQUOT", -1): "cli_os_edquot",
    errno.EROFS: "cli_os_erofs",
}

_OS_REASONS = {
    errno.EISDIR: "cli_os_eisdir",
    errno.ENOTDIR: "cli_os_enotdir",
    errno.ENOENT: "cli_os_enoent",
}


def _console(*, stderr: bool = False) -> Console:
    """A console that prints text as text: no markup, no emoji codes, no highlighting."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False)


def _text(value: Any, style: str = "") -> Text:
    """``value`` as a rich Text (printed literally, whatever brackets it holds)."""
    from rich.text import Text

    return Text("" if value is None else str(value), style=style)


def _read(kind: str, path: Path, **kwargs: Any) -> IngestResult:
    from geo_trygg.io.readers import read_areas, read_events, read_findings, read_points

    if kind == "findings":
        return read_findings(path, **kwargs)
    if kind == "events":
        return read_events(path, **kwargs)
    if kind == "points":
        return read_points(path, **kwargs)
    return read_areas(path, **kwargs)


def _kind_hint(kind: str, path: Path, kwargs: dict[str, Any]) -> str | None:
    """``--kind K`` for a file that could not be read as ``kind`` but can be read as K.

    Tried in the order events, findings, points (the kinds with more required columns
    first); a kind counts when it reads the file and accepts at least one row (a polygon file
    is no point file); None when no other kind does.
    """
    options = {k: v for k, v in kwargs.items() if k in ("crs", "layer") and v is not None}
    for other in ("events", "findings", "points"):
        if other == kind:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = _read(other, path, **options)
        except Exception:  # only a hint: any failure means "not this kind"
            continue
        if result.summary.n_accepted:
            return msg("cli_kind_hint", what=msg(f"cli_kind_{other}"), kind=other)
    return None


def _read_checked(kind: str, path: Path, console: Console, **kwargs: Any) -> IngestResult:
    """Read ``path`` as ``kind``; on failure print why (and the right ``--kind``), exit 2."""
    from geo_trygg.io.readers import looks_like_police_json

    if kind != "events" and looks_like_police_json(path):
        error = msg("cli_police_json_wrong_kind", path=str(path), what=msg(f"cli_kind_{kind}"))
        _fail(console, "cli_cannot_read", error)
    try:
        return _read(kind, path, **kwargs)
    except ConfigError as exc:
        _fail(console, "cli_bad_config", exc)
    except (ReadError, GeoTryggError, OSError, ValueError) as exc:
        hint = _kind_hint(kind, path, kwargs) if isinstance(exc, ReadError) else None
        _fail(console, "cli_cannot_read", exc, hint)
    except (RecursionError, MemoryError, UnicodeError, LookupError, ArithmeticError) as exc:
        # a hostile file that a reader does not yet turn into a ReadError: still a message
        _fail(console, "cli_cannot_read", f"{type(exc).__name__}: {exc}")


def _print_report(result: Any, console: Console, *, limit: int | None = None) -> None:
    from rich.table import Table

    s = result.summary
    console.print(
        _text(
            msg(
                "cli_counts",
                kind=s.kind,
                n_input=s.n_input,
                n_accepted=s.n_accepted,
                n_rejected=s.n_rejected,
            )
        )
    )
    for note in s.notes:
        console.print(_text(f"  - {note}"))
    if len(result.rejected):
        table = Table(title=_text(msg("cli_rejected_header")))
        for key in ("cli_col_row", "cli_col_column", "cli_col_value", "cli_col_reason"):
            table.add_column(_text(msg(key)))
        rows = result.rejected if limit is None else result.rejected.head(limit)
        for r in rows.itertuples(index=False):
            table.add_row(_text(r.row), _text(r.column), _text(r.value), _text(r.reason))
        console.print(table)


def _fail(console: Console, key: str, error: Exception | str, hint: str | None = None) -> NoReturn:
    console.print(_text(msg(key, error=str(error)), style="bold red"))
    if hint:
        console.print(_text(hint, style="bold"))
    sys.exit(2)


def _os_message(exc: OSError, path: Any) -> str:
    """A sentence for a file error: the reason in words, the file named."""
    where = exc.filename if exc.filename is not None else path
    shown = str(where) if where is not None else msg("cli_unknown_path")
    key = _WRITE_REASONS.get(exc.errno) if exc.errno is not None else None
    if key is not None:
        return msg("cli_write_failed", path=shown, reason=msg(key))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return msg("cli_access_denied", path=shown)
    reason = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    said = msg(reason) if reason else exc.strerror or str(exc)
    return msg("cli_os_error", path=shown, reason=said)


def _say(text: str) -> None:
    """A line on stderr through click (works before rich is imported)."""
    click.echo(text, err=True)


def _writing(console: Console, path: Path, write: Callable[[], Any]) -> None:
    """Run ``write`` (which writes ``path``); a file error becomes a message and exit 2.

    Errors of GDAL (GeoPackage, GeoJSON: ``unable to open database file``…) count as file
    errors too.
    """
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        write()
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        console.print(_text(_os_message(exc, path), style="bold red"))
        sys.exit(2)
    except (DataSourceError, DataLayerError) as exc:
        console.print(_text(msg("cli_write_failed", path=str(path), reason=exc), style="bold red"))
        sys.exit(2)


class _Group(click.Group):
    """The ``geo-trygg`` group: Ctrl-C, file errors and geo_trygg errors become messages."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except KeyboardInterrupt:  # while the options are read
            _say(msg("cli_interrupted"))
            raise SystemExit(130) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _say(msg("cli_interrupted"))
            raise SystemExit(130) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # click handles a closed pipe itself
                raise
            _say(_os_message(exc, ctx.meta.get(_OUT)))
            raise SystemExit(2) from None
        except GeoTryggError as exc:
            _say(msg("cli_error", error=str(exc)))
            raise SystemExit(2) from None


@click.group(cls=_Group)
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default="sv",
    show_default=True,
    help="Language of messages and reports.",
)
@click.version_option(package_name="geo_trygg")
@click.pass_context
def main(ctx: click.Context, lang: str) -> None:
    """geo_trygg: place-based safety work (trygghetsarbete) in Swedish cities."""
    previous_lang, previous_show = settings.lang, warnings.showwarning
    settings.lang = lang  # type: ignore[assignment]
    warnings.showwarning = _show_warning

    def _restore() -> None:
        settings.lang = previous_lang
        warnings.showwarning = previous_show

    ctx.call_on_close(_restore)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Print warnings as plain sentences on stderr (no file names or line numbers)."""
    _console(stderr=True).print(_text(f"{msg('cli_warning')}: {message}", style="yellow"))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), required=True, help="What the file holds.")
@click.option(
    "--crs", default=None, help="CRS of the coordinates, e.g. EPSG:3011 (else inferred)."
)
@click.option("--source", "source", default=None, help="Catalogue source name (areas only).")
@click.option("--layer", default=None, help="Layer of a GeoPackage with several layers.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def validate(
    file: Path, kind: str, crs: str | None, source: str | None, layer: str | None, as_json: bool
) -> None:
    """Read FILE as the library does and report accepted and rejected rows.

    ``--kind points`` reads plain points: an id (or row numbers) and coordinates.

    Exit code 0 when every row is accepted, 1 when some rows were rejected, 2 when the file
    cannot be read at all.
    """
    console = _console()
    kwargs: dict[str, Any] = {"crs": crs, "layer": layer}
    if source is not None:
        if kind != "areas":
            _fail(
                console,
                "cli_bad_config",
                ConfigError(f"--source={source!r} is only allowed with --kind areas"),
            )
        kwargs["source"] = source
    result = _read_checked(kind, file, console, **kwargs)
    if as_json:
        click.echo(result.to_json())
    else:
        _print_report(result, console)
    sys.exit(0 if result.n_rejected == 0 else 1)


def _parse_areas_arg(value: str) -> tuple[str | None, Path]:
    """``PATH`` or ``SOURCE=PATH`` (SOURCE a catalogue name)."""
    if "=" in value:
        name, _, path = value.partition("=")
        return name, Path(path)
    return None, Path(value)


def _layers(area_args: tuple[str, ...], console: Console, crs: str | None) -> list[Any]:
    layers = []
    for value in area_args:
        source, path = _parse_areas_arg(value)
        result = _read("areas", path, source=source, crs=crs)
        if result.n_rejected:
            _print_report(result, console, limit=20)
        gdf = result.accepted
        for level in sorted(gdf["level"].dropna().unique()):
            layers.append(gdf[gdf["level"] == level])
    return layers


@main.command()
@click.argument("points", type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(list(POINT_KINDS)),
    default="findings",
    show_default=True,
    help="What POINTS holds (points: an id and coordinates, nothing else required).",
)
@click.option(
    "--areas",
    "areas",
    multiple=True,
    required=True,
    help="Area layer file, or SOURCE=FILE with a catalogue source. Repeatable.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file: .gpkg, .geojson or .csv.",
)
@click.option("--crs", default=None, help="CRS of the points' coordinates (else inferred).")
@click.option("--at", "at", default=None, help="Date for boundary versions and crosswalks.")
@click.option(
    "--max-distance",
    type=float,
    default=None,
    help="Snap points up to this many metres outside every area.",
)
@click.option(
    "--no-crosswalk",
    is_flag=True,
    help="Assign every layer by its polygons instead of the bundled crosswalks.",
)
def join(
    points: Path,
    kind: str,
    areas: tuple[str, ...],
    out: Path,
    crs: str | None,
    at: str | None,
    max_distance: float | None,
    no_crosswalk: bool,
) -> None:
    """Read POINTS, assign each to the given area layers and write OUT.

    Rejected input rows are written beside OUT as OUT.rejected.csv. Text cells of every CSV
    written are formula-safe (a leading apostrophe before ``=``, ``+``, ``-``, ``@``).
    """
    from geo_trygg.boundaries import load_crosswalk
    from geo_trygg.io.write import OUTPUT_FORMATS, write_points, write_rejected
    from geo_trygg.join import assign_areas

    console = _console()
    click.get_current_context().meta[_OUT] = out
    if out.suffix.lower() not in OUTPUT_FORMATS:
        console.print(_text(msg("cli_out_format", path=str(out)), style="bold red"))
        sys.exit(2)
    result = _read_checked(kind, points, console, crs=crs)
    try:
        layers = _layers(areas, console, None)
        crosswalk = None if no_crosswalk else load_crosswalk()
        assigned = assign_areas(
            result.accepted, *layers, crosswalk=crosswalk, at=at, max_distance=max_distance
        )
    except ConfigError as exc:
        _fail(console, "cli_bad_config", exc)
    except (ReadError, GeoTryggError, OSError) as exc:
        _fail(console, "cli_cannot_read", exc)
    _print_report(result, console, limit=20)
    _writing(console, out, lambda: write_points(assigned, out))
    console.print(_text(msg("cli_wrote", n=len(assigned), path=str(out))))
    rejected_path = out.with_name(out.stem + ".rejected.csv")
    _writing(console, rejected_path, lambda: write_rejected(result.rejected, rejected_path))
    console.print(_text(msg("cli_wrote_rejected", n=result.n_rejected, path=str(rejected_path))))


def _build(
    config_path: Path,
    out: Path,
    only: tuple[str, ...],
    quiet: bool,
    *,
    verbose: bool = False,
    force: bool = False,
    jobs: int = 1,
) -> None:
    """Build a pack: a progress bar on stderr (none with ``quiet``, every step printed with
    ``verbose``), then a summary table; exit 1 when an area failed, 2 on bad configuration."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from geo_trygg.pack import build_pack, load_config

    console = _console()
    errors = _console(stderr=True)
    click.get_current_context().meta[_OUT] = out
    start = time.perf_counter()
    try:
        config, base = load_config(config_path)
        with Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=errors,
            disable=quiet,
            transient=True,
        ) as bar:
            task = bar.add_task(msg("cli_pack_reading"), total=None)

            def progress(step: str) -> None:
                if verbose:
                    errors.print(_text(step))
                if ": " in step:  # a page: "<level>: <area>"
                    bar.update(task, description=step, advance=1)
                else:
                    bar.update(task, description=step)

            result = build_pack(
                config,
                base,
                out,
                only=list(only) or None,
                force=force,
                jobs=jobs,
                progress=progress,
            )
    except ConfigError as exc:
        errors.print(_text(exc, style="bold red"))
        raise SystemExit(2) from None
    seconds = time.perf_counter() - start
    if not quiet:
        table = Table(title=_text(msg("cli_pack_summary")))
        for col in ("level", "area", "path", "result"):
            table.add_column(col)
        for page in result.pages:
            state = msg("cli_pack_reused" if page["reused"] else "cli_pack_built")
            table.add_row(*(_text(v) for v in (page["level"], page["area"], page["path"], state)))
        for failed in result.failed:
            table.add_row(
                _text(failed["level"]),
                _text(failed["area"]),
                _text(""),
                _text(failed["error"], style="red"),
            )
        console.print(table)
        reused = sum(1 for p in result.pages if p["reused"])
        console.print(
            _text(
                msg(
                    "cli_pack_counts",
                    built=len(result.pages) - reused,
                    reused=reused,
                    failed=len(result.failed),
                    rejected=result.rejected,
                    seconds=f"{seconds:.1f}",
                )
            )
        )
    index = (Path(out) / "index.html").resolve()
    console.print(
        _text(msg("pack_built", n=len(result.pages), failed=len(result.failed), path=index))
    )
    if result.failed:
        raise SystemExit(1)


@main.command()
@click.argument("config", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Pack folder.")
@click.option("--only", "only", multiple=True, help="Build only this area (repeatable).")
@click.option("--force", is_flag=True, help="Rebuild every page, also those unchanged.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, help="Pages built in parallel.")
@click.option("-q", "--quiet", is_flag=True, help="Only the final line.")
@click.option("-v", "--verbose", is_flag=True, help="Print every step.")
def build(
    config: Path,
    out: Path,
    only: tuple[str, ...],
    force: bool,
    jobs: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build a meeting pack from CONFIG (TOML): a page per area, an index, a manifest."""
    _build(config, out, only, quiet, verbose=verbose, force=force, jobs=jobs)


@main.command()
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=Path("geo_trygg_demo_pack"),
    show_default=True,
    help="Pack folder.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only the final line.")
def demo(out: Path, quiet: bool) -> None:
    """Build a complete meeting pack from the bundled DEMO data (data/pack-example.toml)."""
    from geo_trygg.demo import PACK_EXAMPLE

    console = _console()
    console.print(_text(msg("cli_demo_title"), style="bold"))
    _build(PACK_EXAMPLE, out, (), quiet)


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
@click.pass_context
def boundaries(ctx: click.Context, as_json: bool) -> None:
    """The catalogue of official boundary sources: ``list`` (the default) or ``show NAME``."""
    if ctx.invoked_subcommand is None:
        _list_boundaries(as_json)


@boundaries.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def boundaries_list(as_json: bool) -> None:
    """List the catalogued sources: name, level, CRS."""
    _list_boundaries(as_json)


@boundaries.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as JSON.")
def boundaries_show(name: str, as_json: bool) -> None:
    """Show one source: title, publisher, licence, address, layer, fields, validity, notes."""
    from dataclasses import asdict

    from rich.table import Table

    from geo_trygg.catalogue import get_source

    console = _console()
    try:
        entry = asdict(get_source(name))
    except ConfigError as exc:
        _fail(console, "cli_bad_config", exc)
    if as_json:
        click.echo(json.dumps(entry, ensure_ascii=False, sort_keys=True, indent=2, default=str))
        return
    table = Table(show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    for key, value in entry.items():
        if value in (None, "", {}):
            continue
        shown = (
            ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else value
        )
        table.add_row(_text(key), _text(shown))
    console.print(table)


def _list_boundaries(as_json: bool) -> None:
    from dataclasses import asdict

    from rich.table import Table

    from geo_trygg.catalogue import get_source, list_sources

    sources = [asdict(get_source(name)) for name in list_sources()]
    if as_json:
        click.echo(json.dumps(sources, ensure_ascii=False, sort_keys=True, indent=2, default=str))
        return
    table = Table()
    for col in ("name", "level", "crs"):
        table.add_column(col, no_wrap=True)
    for s in sources:
        table.add_row(*(_text(s.get(c) or "") for c in ("name", "level", "crs")))
    _console().print(table)
