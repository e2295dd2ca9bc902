"""The ``geo-trygg`` command line: ``demo``, ``build``, ``validate``, ``join``, ``boundaries``,
``register`` (``import``, ``status``, ``events``, ``export``, ``import-backup``, ``info``).

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

Every text the command shows is Swedish, or English with ``--lang en``: messages, tables,
progress steps and the help itself. The commands' and options' help texts and the usage
line's placeholders are catalogue sentences read when the help is shown (:class:`_Command`,
:class:`_Option`, :class:`_Argument`); click's own words (``Usage:``, ``Options``, its usage
errors such as a missing option) come from the catalogue too (:func:`_click_words`). The
language is taken from ``--lang`` before click reads the command line, so
``geo-trygg --lang en build --help`` and a usage error after ``--lang en`` are English.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import importlib
import json
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from geo_trygg import settings
from geo_trygg._errors import ConfigError, GeoTryggError, ReadError
from geo_trygg._labels import LANGUAGES, msg

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from geo_trygg.io.result import IngestResult

__all__ = ["main"]

KINDS = ("findings", "events", "points", "areas")
POINT_KINDS = ("findings", "events", "points")
_OUT = "geo_trygg.out"
"""``ctx.meta`` key of the path a command writes (named when a write fails without a path)."""

_F = TypeVar("_F", bound=Callable[..., Any])
Words = Callable[[], str]
"""A catalogue sentence, read when it is shown (``lambda: msg("…")``)."""

_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
)
"""The modules of click whose texts :func:`_click_words` gives in the catalogue's words."""


# --- the language of every text: help, click's words --------------------------------------------


@functools.cache
def _click_texts(lang: str) -> dict[str, str]:
    """click's texts (as click writes them, in English) in ``lang``."""
    return {
        "Usage:": msg("cli_click_usage", lang),
        "Options": msg("cli_click_options", lang),
        "Commands": msg("cli_click_commands", lang),
        "Positional arguments": msg("cli_click_arguments", lang),
        "Aborted!": msg("cli_click_aborted", lang),
        "Missing command.": msg("cli_click_missing_command", lang),
        "Got unexpected extra argument ({args})": msg("cli_click_extra_argument", lang),
        "Got unexpected extra arguments ({args})": msg("cli_click_extra_arguments", lang),
        "env var: {var}": msg("cli_click_envvar", lang),
        "default: {default}": msg("cli_click_default", lang),
        "required": msg("cli_click_required", lang),
        "(dynamic)": msg("cli_click_dynamic", lang),
        "Did you mean {possibility}?": msg("cli_click_did_you_mean", lang),
        "(Did you mean one of: {possibilities}?)": msg("cli_click_did_you_mean_any", lang),
        "Error: {message}": msg("cli_click_error", lang),
        "Try '{command} {option}' for help.": msg("cli_click_try_help", lang),
        "Invalid value: {message}": msg("cli_click_invalid_value", lang),
        "Invalid value for {param_hint}: {message}": msg("cli_click_invalid_value_for", lang),
        "Missing argument": msg("cli_click_missing_argument", lang),
        "Missing option": msg("cli_click_missing_option", lang),
        "Missing parameter": msg("cli_click_missing_parameter", lang),
        "Missing {param_type}": msg("cli_click_missing_type", lang),
        "Missing parameter: {param_name}": msg("cli_click_missing_parameter_name", lang),
        "No such option {name!r}.": msg("cli_click_no_such_option", lang),
        "No such command {name!r}.": msg("cli_click_no_such_command", lang),
        "Option {name!r} does not take a value.": msg("cli_click_no_value", lang),
        "Option {name!r} requires an argument.": msg("cli_click_needs_value", lang),
        "Option {name!r} requires {nargs} arguments.": msg("cli_click_needs_values", lang),
        "Choose from:\n\t{choices}": msg("cli_click_choose_from", lang),
        "{value!r} is not {choice}.": msg("cli_click_not_choice", lang),
        "{value!r} is not one of {choices}.": msg("cli_click_not_choices", lang),
        "{value!r} is not a valid {number_type}.": msg("cli_click_not_number", lang),
        "{value} is not in the range {range}.": msg("cli_click_not_in_range", lang),
    }


@contextlib.contextmanager
def _click_words() -> Iterator[None]:
    """click's own words in the language of ``settings.lang`` while the block runs.

    click marks its texts for gettext, ``_("Usage:")`` and ``ngettext(one, many, n)``, and
    looks those two names up in its modules each time it shows a text. Inside the block they
    give the catalogue's sentence (:func:`_click_texts`; a text not in it is shown as click
    wrote it); afterwards click's own functions are back.
    """

    def gettext(message: str) -> str:
        return _click_texts(settings.lang).get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    saved = []
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        for attr, words in (("_", gettext), ("ngettext", ngettext)):
            if attr in vars(module):
                saved.append((module, attr, vars(module)[attr]))
                setattr(module, attr, words)
    try:
        yield
    finally:
        for module, attr, original in saved:
            setattr(module, attr, original)


def _chosen_lang(args: list[str]) -> str:
    """The language of ``--lang`` among the options before the command (Swedish without)."""
    chosen = LANGUAGES[0]
    rest = iter(args)
    for arg in rest:
        if arg == "--lang":
            value = next(rest, None)
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        elif arg.startswith("-"):
            continue
        else:  # the command: its options are its own
            break
        if value in LANGUAGES:
            chosen = value
    return chosen


def _metavar_words(param_type: click.ParamType) -> str | None:
    """The placeholder of an option's value in the usage and help (None: click's own)."""
    if isinstance(param_type, click.Path):
        return msg("cli_metavar_path")
    if isinstance(param_type, click.IntRange):
        return msg("cli_metavar_integer_range")
    if isinstance(param_type, click.types.FloatParamType):
        return msg("cli_metavar_float")
    if isinstance(param_type, click.types.StringParamType):
        return msg("cli_metavar_text")
    return None


class _Option(click.Option):
    """An option whose help is a catalogue sentence, read when the help is shown."""

    def __init__(self, *args: Any, words: Words | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.words = words

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.words is not None:
            self.help = self.words()
        return super().get_help_record(ctx)

    def make_metavar(self, ctx: click.Context) -> str:
        words = _metavar_words(self.type) if self.metavar is None else None
        if words is None:
            return super().make_metavar(ctx)
        return words if self.nargs == 1 else f"{words}..."


class _Argument(click.Argument):
    """A (required) argument whose placeholder, ``FILE`` or ``FIL``, is a catalogue word."""

    def __init__(self, *args: Any, words: Words, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.words = words

    def make_metavar(self, ctx: click.Context) -> str:
        return self.words()


def _option(*decls: str, words: Words, **kwargs: Any) -> Callable[[_F], _F]:
    """``click.option`` with its help from the catalogue (``words``)."""
    return click.option(*decls, cls=_Option, words=words, **kwargs)


def _argument(name: str, *, words: Words, **kwargs: Any) -> Callable[[_F], _F]:
    """``click.argument`` with its placeholder from the catalogue (``words``)."""
    return click.argument(name, cls=_Argument, words=words, **kwargs)


class _Command(click.Command):
    """A command whose help, usage placeholders and ``--help`` text are catalogue sentences."""

    def __init__(self, *args: Any, words: Words | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.words = words

    def _in_words(self) -> None:
        """The help texts in the language of the moment."""
        if self.words is not None:
            self.help = self.words()
        self.options_metavar = msg("cli_usage_options")

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._in_words()
        super().format_help(ctx, formatter)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._in_words()
        super().format_usage(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        self._in_words()
        return super().get_short_help_str(limit)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # made once and kept by click: its text set each time
            option.help = msg("cli_help_help")
        return option


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
            return msg("cli_kind_hint", what=_kind_words(other), kind=other)
    return None


def _kind_words(kind: str) -> str:
    """What a file of ``kind`` (``--kind``) holds, in words."""
    return {
        "findings": msg("cli_kind_findings"),
        "events": msg("cli_kind_events"),
        "points": msg("cli_kind_points"),
        "areas": msg("cli_kind_areas"),
    }[kind]


def _read_checked(kind: str, path: Path, console: Console, **kwargs: Any) -> IngestResult:
    """Read ``path`` as ``kind``; on failure print why (and the right ``--kind``), exit 2."""
    from geo_trygg.io.readers import looks_like_police_json

    if kind != "events" and looks_like_police_json(path):
        error = msg("cli_police_json_wrong_kind", path=str(path), what=_kind_words(kind))
        _fail(console, msg("cli_cannot_read", error=error))
    try:
        return _read(kind, path, **kwargs)
    except ConfigError as exc:
        _fail(console, msg("cli_bad_config", error=str(exc)))
    except (ReadError, GeoTryggError, OSError, ValueError) as exc:
        hint = _kind_hint(kind, path, kwargs) if isinstance(exc, ReadError) else None
        _fail(console, msg("cli_cannot_read", error=str(exc)), hint)
    except (RecursionError, MemoryError, UnicodeError, LookupError, ArithmeticError) as exc:
        # a hostile file that a reader does not yet turn into a ReadError: still a message
        _fail(console, msg("cli_cannot_read", error=f"{type(exc).__name__}: {exc}"))


def _print_report(result: Any, console: Console, *, limit: int | None = None) -> None:

    s = result.summary
    console.print(
        _text(
            msg(
                "cli_counts",
                kind=_kind_words(s.kind),
                n_input=s.n_input,
                n_accepted=s.n_accepted,
                n_rejected=s.n_rejected,
            )
        )
    )
    for note in s.notes:
        console.print(_text(f"  - {note}"))
    if len(result.rejected):
        rows = result.rejected if limit is None else result.rejected.head(limit)
        _print_rejected(rows, console)


def _print_rejected(rows: Any, console: Console) -> None:
    """The rejected rows (``row``, ``column``, ``value``, ``reason``) as a table."""
    from rich.table import Table

    table = Table(title=_text(msg("cli_rejected_header")))
    for header in (
        msg("cli_col_row"),
        msg("cli_col_column"),
        msg("cli_col_value"),
        msg("cli_col_reason"),
    ):
        table.add_column(_text(header))
    for r in rows.itertuples(index=False):
        table.add_row(_text(r.row), _text(r.column), _text(r.value), _text(r.reason))
    console.print(table)


def _fail(console: Console, text: str, hint: str | None = None) -> NoReturn:
    console.print(_text(text, style="bold red"))
    if hint:
        console.print(_text(hint, style="bold"))
    sys.exit(2)


def _os_message(exc: OSError, path: Any) -> str:
    """A sentence for a file error: the reason in words, the file named."""
    where = exc.filename if exc.filename is not None else path
    shown = str(where) if where is not None else msg("cli_unknown_path")
    full: dict[int | None, str] = {
        errno.ENOSPC: msg("cli_os_enospc"),
        getattr(errno, "EDQUOT", -1): msg("cli_os_edquot"),
        errno.EROFS: msg("cli_os_erofs"),
    }
    if exc.errno in full:  # a full disk, a used-up quota, a read-only file system
        return msg("cli_write_failed", path=shown, reason=full[exc.errno])
    if exc.errno in (errno.EACCES, errno.EPERM):
        return msg("cli_access_denied", path=shown)
    said: dict[int | None, str] = {
        errno.EISDIR: msg("cli_os_eisdir"),
        errno.ENOTDIR: msg("cli_os_enotdir"),
        errno.ENOENT: msg("cli_os_enoent"),
    }
    reason = said.get(exc.errno) or exc.strerror or str(exc)
    return msg("cli_os_error", path=shown, reason=reason)


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


class _Group(_Command, click.Group):
    """The ``geo-trygg`` group: Ctrl-C, file errors and geo_trygg errors become messages;
    every text in the language of ``--lang``."""

    command_class = _Command
    group_class = type  # subgroups are _Group too

    def _in_words(self) -> None:
        super()._in_words()
        self.subcommand_metavar = msg("cli_usage_command")

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line in the language of ``--lang``, click's words included."""
        given = kwargs.get("args", args[0] if args else None)
        previous = settings.lang
        settings.lang = _chosen_lang(list(sys.argv[1:] if given is None else given))  # type: ignore[assignment]
        try:
            with _click_words():
                return super().main(*args, **kwargs)
        finally:
            settings.lang = previous

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


@click.group(cls=_Group, words=lambda: msg("cli_help_main"))
@_option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=LANGUAGES[0],
    show_default=True,
    words=lambda: msg("cli_help_lang"),
)
@click.version_option(package_name="geo_trygg", cls=_Option, words=lambda: msg("cli_help_version"))
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


@main.command(words=lambda: msg("cli_help_validate"))
@_argument("file", type=click.Path(path_type=Path), words=lambda: msg("cli_metavar_file"))
@_option("--kind", type=click.Choice(KINDS), required=True, words=lambda: msg("cli_help_kind"))
@_option("--crs", default=None, words=lambda: msg("cli_help_crs"))
@_option("--source", "source", default=None, words=lambda: msg("cli_help_source"))
@_option("--layer", default=None, words=lambda: msg("cli_help_layer"))
@_option("--json", "as_json", is_flag=True, words=lambda: msg("cli_help_json_report"))
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
                console, msg("cli_bad_config", error=msg("cli_source_areas_only", source=source))
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


@main.command(words=lambda: msg("cli_help_join"))
@_argument("points", type=click.Path(path_type=Path), words=lambda: msg("cli_metavar_points"))
@_option(
    "--kind",
    type=click.Choice(list(POINT_KINDS)),
    default="findings",
    show_default=True,
    words=lambda: msg("cli_help_join_kind"),
)
@_option("--areas", "areas", multiple=True, required=True, words=lambda: msg("cli_help_areas"))
@_option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    words=lambda: msg("cli_help_join_out"),
)
@_option("--crs", default=None, words=lambda: msg("cli_help_points_crs"))
@_option("--at", "at", default=None, words=lambda: msg("cli_help_at"))
@_option("--max-distance", type=float, default=None, words=lambda: msg("cli_help_max_distance"))
@_option("--no-crosswalk", is_flag=True, words=lambda: msg("cli_help_no_crosswalk"))
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
        _fail(console, msg("cli_bad_config", error=str(exc)))
    except (ReadError, GeoTryggError, OSError) as exc:
        _fail(console, msg("cli_cannot_read", error=str(exc)))
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
                shown = _step_words(step)
                if verbose:
                    errors.print(_text(shown))
                if ": " in step:  # a page: "<level>: <area>"
                    bar.update(task, description=shown, advance=1)
                else:
                    bar.update(task, description=shown)

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
        for header in (
            msg("cli_col_level"),
            msg("cli_col_area"),
            msg("cli_col_path"),
            msg("cli_col_result"),
        ):
            table.add_column(_text(header))
        for page in result.pages:
            state = msg("cli_pack_reused" if page["reused"] else "cli_pack_built")
            level = _level_words(page["level"])
            table.add_row(*(_text(v) for v in (level, page["area"], page["path"], state)))
        for failed in result.failed:
            table.add_row(
                _text(_level_words(failed["level"])),
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


def _level_words(level: str) -> str:
    """An area level in words, as the maps name it (a level of the user's own, as given)."""
    from geo_trygg.maps import level_name

    return level_name(level, settings.lang)


def _step_words(step: str) -> str:
    """A step of ``build_pack`` in words (a page, ``"<level>: <area>"``, with the level in
    words)."""
    level, colon, area = step.partition(": ")
    if colon:
        return f"{_level_words(level)}: {area}"
    return {
        "read": msg("cli_pack_reading"),
        "lagesbild": msg("cli_step_lagesbild"),
        "public": msg("cli_step_public"),
        "atgardslistor": msg("cli_step_actions"),
        "index": msg("cli_step_index"),
    }.get(step, step)


@main.command(words=lambda: msg("cli_help_build"))
@_argument("config", type=click.Path(path_type=Path), words=lambda: msg("cli_metavar_config"))
@_option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    words=lambda: msg("cli_help_pack_out"),
)
@_option("--only", "only", multiple=True, words=lambda: msg("cli_help_only"))
@_option("--force", is_flag=True, words=lambda: msg("cli_help_force"))
@_option("--jobs", type=click.IntRange(min=1), default=1, words=lambda: msg("cli_help_jobs"))
@_option("-q", "--quiet", is_flag=True, words=lambda: msg("cli_help_quiet"))
@_option("-v", "--verbose", is_flag=True, words=lambda: msg("cli_help_verbose"))
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


@main.command(words=lambda: msg("cli_help_demo"))
@_option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=Path("geo_trygg_demo_pack"),
    show_default=True,
    words=lambda: msg("cli_help_pack_out"),
)
@_option("-q", "--quiet", is_flag=True, words=lambda: msg("cli_help_quiet"))
def demo(out: Path, quiet: bool) -> None:
    """Build a complete meeting pack from the bundled DEMO data (data/pack-example.toml)."""
    from geo_trygg.demo import PACK_EXAMPLE

    console = _console()
    console.print(_text(msg("cli_demo_title"), style="bold"))
    _build(PACK_EXAMPLE, out, (), quiet)


@main.group(invoke_without_command=True, words=lambda: msg("cli_help_boundaries"))
@_option("--json", "as_json", is_flag=True, words=lambda: msg("cli_help_json_catalogue"))
@click.pass_context
def boundaries(ctx: click.Context, as_json: bool) -> None:
    """The catalogue of official boundary sources: ``list`` (the default) or ``show NAME``."""
    if ctx.invoked_subcommand is None:
        _list_boundaries(as_json)


@boundaries.command("list", words=lambda: msg("cli_help_boundaries_list"))
@_option("--json", "as_json", is_flag=True, words=lambda: msg("cli_help_json_catalogue"))
def boundaries_list(as_json: bool) -> None:
    """List the catalogued sources: name, level, CRS."""
    _list_boundaries(as_json)


@boundaries.command("show", words=lambda: msg("cli_help_boundaries_show"))
@_argument("name", words=lambda: msg("cli_metavar_name"))
@_option("--json", "as_json", is_flag=True, words=lambda: msg("cli_help_json_entry"))
def boundaries_show(name: str, as_json: bool) -> None:
    """Show one source: title, publisher, licence, address, layer, fields, validity, notes."""
    from dataclasses import asdict

    from rich.table import Table

    from geo_trygg.catalogue import get_source

    console = _console()
    try:
        entry = asdict(get_source(name))
    except ConfigError as exc:
        _fail(console, msg("cli_bad_config", error=str(exc)))
    if as_json:
        click.echo(json.dumps(entry, ensure_ascii=False, sort_keys=True, indent=2, default=str))
        return
    labels = _source_field_words()
    table = Table(show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    for key, value in entry.items():
        if value in (None, "", {}):
            continue
        shown = (
            ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else value
        )
        table.add_row(_text(labels.get(key, key)), _text(shown))
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
    for header in (msg("cli_col_name"), msg("cli_col_level"), msg("cli_col_crs")):
        table.add_column(_text(header), no_wrap=True)
    for s in sources:
        table.add_row(*(_text(s.get(c) or "") for c in ("name", "level", "crs")))
    _console().print(table)


def _source_field_words() -> dict[str, str]:
    """The fields of a catalogue source (``boundaries show``) in words."""
    return {
        "name": msg("cli_col_name"),
        "title": msg("cli_source_title"),
        "publisher": msg("cli_source_publisher"),
        "licence": msg("cli_source_licence"),
        "url": msg("cli_source_url"),
        "layer": msg("cli_source_layer"),
        "level": msg("cli_col_level"),
        "id_field": msg("cli_source_id_field"),
        "name_field": msg("cli_source_name_field"),
        "crs": msg("cli_col_crs"),
        "encoding": msg("cli_source_encoding"),
        "valid_from": msg("cli_source_valid_from"),
        "valid_to": msg("cli_source_valid_to"),
        "fields": msg("cli_source_fields"),
        "notes": msg("cli_source_notes"),
    }


# --- the register -------------------------------------------------------------------------------

_REGISTER_ENV = "GEO_TRYGG_REGISTER"


def _register_option(func: _F) -> _F:
    """``--register`` (or the environment variable GEO_TRYGG_REGISTER): a .gpkg or a URL."""
    return _option(
        "--register",
        "register",
        envvar=_REGISTER_ENV,
        required=True,
        words=lambda: msg("cli_help_register"),
    )(func)


def _by_option(func: _F) -> _F:
    return _option("--by", "by", default=None, words=lambda: msg("cli_help_register_by"))(func)


@main.group(words=lambda: msg("cli_help_register_group"))
def register() -> None:
    """The åtgärdsregister: walks, findings, their history and event batches over years."""


def _walk_name(value: str) -> str:
    """``--walk`` checked before the register is opened (the library's rule and words)."""
    if not value.strip() or len(value) > 200:
        raise click.BadParameter(msg("reg_err_walk", value=repr(value)[:60]))
    return value


def _open_register(target: str, console: Console, *, create: bool = True) -> Any:
    from geo_trygg.register import open_register

    try:
        return open_register(target, create=create)
    except ConfigError as exc:
        _fail(console, msg("cli_bad_config", error=str(exc)))


def _import_report(report: Any, console: Console) -> None:
    """What an import did, its notes and its rejected rows; exit 1 when rows were rejected."""

    console.print(_text(report.summary(), style="bold"))
    for note in report.notes:
        console.print(_text(f"  - {note}"))
    if len(report.rejected) and not report.already_imported:
        _print_rejected(report.rejected, console)
    if report.n_rejected and not report.already_imported:
        sys.exit(1)


def _run_import(target: str, do: Callable[[Any], Any]) -> None:
    console = _console()
    reg = _open_register(target, console)
    try:
        try:
            report = do(reg)
        except ConfigError as exc:
            _fail(console, msg("cli_bad_config", error=str(exc)))
        except ReadError as exc:
            _fail(console, msg("cli_cannot_read", error=str(exc)))
    finally:
        reg.close()
    _import_report(report, console)


@register.command("import", words=lambda: msg("cli_help_register_import"))
@_argument("file", type=click.Path(path_type=Path), words=lambda: msg("cli_metavar_file"))
@_option(
    "--walk",
    "walk",
    required=True,
    callback=lambda ctx, param, value: _walk_name(value),
    words=lambda: msg("cli_help_register_walk"),
)
@_register_option
@_option(
    "--distance",
    type=click.FloatRange(0, 1000),
    default=10.0,
    show_default=True,
    words=lambda: msg("cli_help_register_distance"),
)
@_option("--crs", default=None, words=lambda: msg("cli_help_crs"))
@_by_option
def register_import(
    file: Path, walk: str, register: str, distance: float, crs: str | None, by: str | None
) -> None:
    """Import a walk protocol FILE and merge it with the register's findings."""
    _run_import(
        register, lambda reg: reg.import_walk(file, walk=walk, distance=distance, by=by, crs=crs)
    )


@register.command("status", words=lambda: msg("cli_help_register_status"))
@_argument("file", type=click.Path(path_type=Path), words=lambda: msg("cli_metavar_file"))
@_register_option
@_by_option
def register_status(file: Path, register: str, by: str | None) -> None:
    """Import a status file FILE returned by a responsible actor into the history."""
    _run_import(register, lambda reg: reg.import_status(file, by=by))


@register.command("events", words=lambda: msg("cli_help_register_events"))
@_argument("file", type=click.Path(path_type=Path), words=lambda: msg("cli_metavar_file"))
@_register_option
@_option("--source", "source", default=None, words=lambda: msg("cli_help_register_source"))
@_option("--from", "first", default=None, words=lambda: msg("cli_help_register_from"))
@_option("--to", "last", default=None, words=lambda: msg("cli_help_register_to"))
@_option("--crs", default=None, words=lambda: msg("cli_help_crs"))
@_by_option
def register_events(
    file: Path,
    register: str,
    source: str | None,
    first: str | None,
    last: str | None,
    crs: str | None,
    by: str | None,
) -> None:
    """Import a batch of events FILE (police, housing companies, transit, guards)."""
    console = _console()
    if (first is None) != (last is None):
        _fail(console, msg("cli_register_span"))
    coverage = None if first is None else (first, last)
    _run_import(
        register,
        lambda reg: reg.import_events(file, coverage=coverage, by=by, source=source, crs=crs),
    )


@register.command("export", words=lambda: msg("cli_help_register_export"))
@_register_option
@_option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    words=lambda: msg("cli_help_register_out"),
)
@click.pass_context
def register_export(ctx: click.Context, register: str, out: Path) -> None:
    """Write the whole register to a new GeoPackage file OUT (a backup)."""
    console = _console()
    ctx.meta[_OUT] = out
    reg = _open_register(register, console, create=False)
    try:
        reg.export(out)
        counts = reg.counts()
    finally:
        reg.close()
    console.print(_text(msg("cli_register_exported", path=str(out), **_count_words(counts))))


@register.command("import-backup", words=lambda: msg("cli_help_register_import_backup"))
@_argument("file", type=click.Path(path_type=Path), words=lambda: msg("cli_metavar_file"))
@_register_option
def register_import_backup(file: Path, register: str) -> None:
    """Read a backup FILE (a register's GeoPackage) into an empty register."""
    from geo_trygg.register import copy_register

    console = _console()
    source = _open_register(str(file), console, create=False)
    target = _open_register(register, console)
    try:
        counts = copy_register(source, target)
    finally:
        source.close()
        target.close()
    console.print(
        _text(msg("cli_register_restored", register=target.label, **_count_words(counts)))
    )


@register.command("info", words=lambda: msg("cli_help_register_info"))
@_register_option
@_option("--json", "as_json", is_flag=True, words=lambda: msg("cli_help_register_json"))
def register_info(register: str, as_json: bool) -> None:
    """What the register holds: rows per table, walks, and the days each event source covers."""
    from rich.table import Table

    console = _console()
    reg = _open_register(register, console, create=False)
    try:
        counts, walks, coverage = reg.counts(), reg.walks(), reg.coverage()
    finally:
        reg.close()
    if as_json:
        data = {
            "register": reg.label,
            "counts": counts,
            "walks": [
                {"walk": w.walk, "date": _day(w.walk_date), "rows": int(w.n_rows)}
                for w in walks.itertuples(index=False)
            ],
            "coverage": [
                {
                    "source": c.source,
                    "first": _day(c.first),
                    "last": _day(c.last),
                    "gaps": int(c.gaps),
                }
                for c in coverage.itertuples(index=False)
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))
        return
    console.print(_text(msg("cli_register_info", register=reg.label, **_count_words(counts))))
    if len(walks):
        table = Table(title=_text(msg("cli_register_walks")))
        for header in (msg("cli_col_walk"), msg("cli_col_date"), msg("cli_col_rows")):
            table.add_column(_text(header))
        for w in walks.itertuples(index=False):
            table.add_row(_text(w.walk), _text(_day(w.walk_date)), _text(w.n_rows))
        console.print(table)
    if len(coverage):
        table = Table(title=_text(msg("cli_register_coverage")))
        for header in (
            msg("cli_col_source"),
            msg("cli_col_first"),
            msg("cli_col_last"),
            msg("cli_col_gaps"),
        ):
            table.add_column(_text(header))
        from geo_trygg.vocab.events import source_label

        for c in coverage.itertuples(index=False):
            table.add_row(
                _text(source_label(c.source)),
                _text(_day(c.first)),
                _text(_day(c.last)),
                _text(c.gaps),
            )
        console.print(table)


def _day(value: Any) -> str:
    return "" if value is None or value != value else str(value)[:10]


def _count_words(counts: dict[str, int]) -> dict[str, Any]:
    return {
        "walks": counts.get("walks", 0),
        "findings": counts.get("findings", 0),
        "history": counts.get("status_history", 0),
        "events": counts.get("events", 0),
    }
