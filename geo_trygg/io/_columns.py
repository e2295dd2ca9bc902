"""Recognise the columns of a findings or events table (private).

A header is matched in up to three steps, on a *key*: case-folded, å/ä/ö folded to a/o,
every character that is not a letter or digit removed (``"Åtgärds-datum"`` → ``atgardsdatum``):

1. the whole header's key is looked up in the alias table of the kind (findings or events)
   or in the coordinate aliases;
2. text in parentheses or brackets is set aside: when it names a direction (``nord``, ``N``,
   ``öst``, ``E``…) and the rest names a coordinate (``X (nord)``, ``Y (öst)``), the column is
   mapped by the direction; otherwise the rest is looked up (``Latitud (WGS84)``), so a unit
   or format in parentheses is ignored for every header (``Åtgärdas senast (datum)``,
   ``Sista datum (åååå-mm-dd)``, ``Datum [ÅÅÅÅ-MM-DD]``);
3. words that only name a unit or system (``koordinat``, ``WGS84``, ``SWEREF 99 TM``, ``RT90``,
   ``grader``, ``m``) are dropped and the remaining words looked up (``X-koordinat SWEREF``).

Columns are matched left to right; the first column that matches a canonical name gets it,
later ones are kept as extra columns. An explicit ``columns={source: canonical}`` mapping is
applied first and always wins.

Coordinates: ``x`` is the value read as longitude/easting, ``y`` as latitude/northing, and
``coords`` a single column holding both (``"59.27, 18.01"``). Headers that name the direction
(lat/lon, N/E, nord/öst, a direction in parentheses) are mapped directly. The bare headers
``x``/``y`` are *ambiguous*: in Swedish geodetic use x is the northing. They are mapped
x → easting, y → northing and flagged, and the reader exchanges the two columns when every
usable row turns out swapped (the Swedish convention), saying so in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from geo_trygg._errors import ConfigError
from geo_trygg._text import ascii_fold


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


__all__ = [
    "COORD_TARGETS",
    "ColumnMap",
    "allowed_targets",
    "find_header",
    "header_key",
    "resolve_columns",
]

FINDING_ALIASES: dict[str, tuple[str, ...]] = {
    "finding_id": _w(
        "findingid id idnr fyndid bristid iakttagelseid nr nummer lopnummer lopnr punkt "
        "punktnr punktnummer"
    ),
    "walk_id": _w(
        "walkid walk vandring vandringid vandringsid vandringsnr vandringsnamn trygghetsvandring"
    ),
    "walk_date": _w("walkdate datum date vandringsdatum datumforvandring datumforvandringen dag"),
    "category": _w(
        "category kategori typ type bristtyp problemtyp problem brist bristkategori "
        "kategoribrist typavbrist"
    ),
    "description": _w(
        "description beskrivning kommentar kommentarer anteckning anteckningar text "
        "notering noteringar iakttagelse fritext comment comments notes note "
        "beskrivningavbrist"
    ),
    "severity": _w(
        "severity allvarlighet allvarlighetsgrad prioritet prio priority grad angelagenhetsgrad"
    ),
    "responsible_actor": _w(
        "responsibleactor responsible ansvarig ansvar ansvarigaktor aktor huvudman agare "
        "ansvarigforatgard actor owner"
    ),
    "status": _w("status atgardsstatus statusatgard"),
    "deadline": _w(
        "deadline atgardsdatum atgardasenast atgardassenast atgardatsenast klartsenast "
        "fardigsenast senast senastdatum sistadatum sistaatgardsdatum senastatgardad "
        "tidsfrist duedate due slutdatum deadlinedatum"
    ),
    "status_date": _w(
        "statusdate statusdatum datumstatus senastandrad uppdaterad andrad andringsdatum "
        "senastuppdaterad updated lastupdated"
    ),
}

EVENT_ALIASES: dict[str, tuple[str, ...]] = {
    "event_id": _w(
        "eventid id handelseid handelsenr arendenummer arendenr arende diarienummer dnr "
        "nr nummer lopnummer"
    ),
    "time_from": _w(
        "timefrom fran from franochmed fom starttid start tidfran frantid datumfran "
        "frandatum starttime tid tidpunkt time datetime handelsetid datumtid datumochtid "
        "timestamp tidsstampel intraffade brottstid"
    ),
    "time_to": _w(
        "timeto till to tom tillochmed sluttid slut tidtill tilltid datumtill tilldatum "
        "endtime end"
    ),
    "date": _w("date datum dag handelsedatum"),
    "clock": _w("clock klockslag kl klocka klockan timeofday"),
    "published": _w(
        "published publicerad publiceringsdatum publiceringstid rapporterad inrapporterad "
        "rapportdatum registrerad registreringsdatum anmald"
    ),
    "source_type": _w(
        "sourcetype typ type handelsetyp kategori category kod code handelsekod handelse "
        "brottstyp brottskod incidenttyp"
    ),
    "source": _w("source kalla aktor rapportor avsandare lamnatav"),
    "location_precision": _w(
        "locationprecision precision lagesprecision noggrannhet platsprecision"
    ),
    "location_name": _w("locationname plats platsnamn location place adress address gatuadress"),
    "kommun": _w("kommun municipality kommunnamn"),
    "text": _w(
        "text beskrivning description sammanfattning summary kommentar fritext anteckning "
        "notering rubrik"
    ),
    "url": _w("url lank link webbadress"),
}

POINT_ALIASES: dict[str, tuple[str, ...]] = {
    "point_id": _w(
        "pointid id idnr nr nummer lopnummer lopnr punkt punktid punktnr punktnummer objektid"
    ),
}
"""Plain points (``read_points``): only an id; every other column is kept as it is."""

COORD_ALIASES: dict[str, tuple[str, ...]] = {
    "x": _w(
        "x lon long lng longitud longitude e east easting ost ostlig ostkoordinat "
        "ekoordinat xkoordinat xkoord ostligkoordinat ostkoord ekoord"
    ),
    "y": _w(
        "y lat latitud latitude n north northing nord nordlig nordkoordinat nkoordinat "
        "ykoordinat ykoord nordkoord nkoord"
    ),
    "coords": _w(
        "coords coordinates koordinater koordinat position gps latlon latlong latlng "
        "gpskoordinater gpsposition"
    ),
}
_AMBIGUOUS = {"x", "y", "xkoordinat", "ykoordinat", "xkoord", "ykoord"}
_DIRECTIONS = {
    **dict.fromkeys(_w("n nord north northing nordlig"), "y"),
    **dict.fromkeys(_w("e o ost east easting ostlig"), "x"),
    **dict.fromkeys(_w("lat latitud latitude"), "y"),
    **dict.fromkeys(_w("lon long lng longitud longitude"), "x"),
}
_NOISE = frozenset(
    _w(
        "koordinat koordinater koord coordinate coord wgs84 wgs sweref99tm sweref99 "
        "sweref 99 tm rt90 rt9025gonv gon grader deg degrees decimal dd m meter metres "
        "meters 1200 1330 1500 1630 1800 1415 1545 1715 1845 2015 2145 2315"
    )
)

COORD_TARGETS = {
    "x": "x",
    "y": "y",
    "coords": "coords",
    "lon": "x",
    "longitude": "x",
    "easting": "x",
    "lat": "y",
    "latitude": "y",
    "northing": "y",
}
"""Coordinate targets accepted in ``columns=``: each maps to ``x``, ``y`` or ``coords``."""

_PAREN = re.compile(r"[(\[]([^)\]]*)[)\]]")


def header_key(name: object) -> str:
    """Matching key of a header: case-folded, å/ä/ö folded, letters and digits only.

    Examples
    --------
    >>> header_key("Åtgärds-datum"), header_key("Lat (WGS 84)")
    ('atgardsdatum', 'latwgs84')
    """
    return re.sub(r"[\W_]+", "", ascii_fold(str(name)).casefold())


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\W_]+", ascii_fold(text).casefold()) if t]


def _kind_aliases(kind: str) -> dict[str, tuple[str, ...]]:
    return {"findings": FINDING_ALIASES, "points": POINT_ALIASES}.get(kind, EVENT_ALIASES)


def allowed_targets(kind: str) -> tuple[str, ...]:
    """Canonical names ``columns=`` may map to, for ``kind`` findings, events or points."""
    fields = _kind_aliases(kind)
    return (*fields, *COORD_TARGETS)


@dataclass
class ColumnMap:
    """The outcome of column recognition.

    Attributes
    ----------
    fields : dict of str to str
        Canonical name -> source column (coordinates as ``x``, ``y`` or ``coords``).
    ambiguous_xy : bool
        True when ``x``/``y`` came from bare ``x``/``y`` headers (see the module docstring).
    extra : list of str
        Source columns not mapped to anything, in file order.
    """

    fields: dict[str, str] = field(default_factory=dict)
    ambiguous_xy: bool = False
    extra: list[str] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        """Source column of canonical ``name``, or None."""
        return self.fields.get(name)


def _lookup(key: str, aliases: Mapping[str, tuple[str, ...]]) -> str | None:
    for canonical, names in aliases.items():
        if key in names:
            return canonical
    return None


def _guess(header: str, aliases: Mapping[str, tuple[str, ...]]) -> tuple[str | None, bool]:
    """Canonical name for one header and whether it is an ambiguous bare x/y."""
    key = header_key(header)
    hit = _lookup(key, aliases) or _lookup(key, COORD_ALIASES)
    if hit:
        return hit, key in _AMBIGUOUS
    inner = " ".join(_PAREN.findall(header))
    base = _PAREN.sub(" ", header)
    base_key = header_key(base)
    inner_dir = _DIRECTIONS.get(header_key(inner)) if inner else None
    base_coord = _lookup(base_key, COORD_ALIASES)
    if inner_dir and base_coord in ("x", "y"):
        return inner_dir, False
    if inner:
        hit = _lookup(base_key, aliases) or base_coord
        if hit:
            return hit, base_key in _AMBIGUOUS
    words = [t for t in _tokens(base) if t not in _NOISE]
    if words and len(words) < len(_tokens(base)):
        joined = "".join(words)
        hit = _lookup(joined, COORD_ALIASES) or _lookup(joined, aliases)
        if hit:
            return hit, joined in _AMBIGUOUS
    return None, False


def resolve_columns(
    headers: Iterable[str], kind: str, explicit: Mapping[str, str] | None = None
) -> ColumnMap:
    """Map the headers of a table to canonical names.

    Parameters
    ----------
    headers : iterable of str
        Column names in file order.
    kind : {"findings", "events", "points"}
    explicit : mapping of str to str, optional
        ``{source column: canonical name}``; always wins over recognition.

    Returns
    -------
    ColumnMap

    Raises
    ------
    ConfigError
        When ``explicit`` names a column the table does not have, a canonical name that is
        not allowed, or the same canonical name twice.

    Examples
    --------
    >>> m = resolve_columns(["Datum", "Kategori", "X (nord)", "Y (öst)"], "findings")
    >>> m.fields, m.ambiguous_xy
    ({'walk_date': 'Datum', 'category': 'Kategori', 'y': 'X (nord)', 'x': 'Y (öst)'}, False)
    """
    headers = list(headers)
    aliases = _kind_aliases(kind)
    result = ColumnMap()
    used: set[str] = set()
    if explicit:
        if not isinstance(explicit, Mapping):
            raise ConfigError(
                f"columns={explicit!r} must be a mapping {{source column: canonical name}}"
            )
        allowed = allowed_targets(kind)
        for source, target in explicit.items():
            column = find_header(source, headers)
            if target not in allowed:
                raise ConfigError(
                    f"columns={{{source!r}: {target!r}}}: {target!r} is not a canonical "
                    f"{kind} column; expected one of: {', '.join(map(repr, allowed))}"
                )
            canonical = COORD_TARGETS.get(target, target)
            if canonical in result.fields:
                raise ConfigError(
                    f"columns= maps both {result.fields[canonical]!r} and {source!r} to "
                    f"{canonical!r}; map one column per canonical name"
                )
            result.fields[canonical] = column
            used.add(column)
    bare: dict[str, bool] = {}
    for header in headers:
        if header in used:
            continue
        guess, ambiguous = _guess(header, aliases)
        if guess is None or guess in result.fields:
            continue
        if guess in ("x", "y", "coords") and _coords_explicit(result, explicit):
            continue
        result.fields[guess] = header
        used.add(header)
        bare[guess] = ambiguous
    result.ambiguous_xy = bare.get("x", False) and bare.get("y", False)
    result.extra = [h for h in headers if h not in used]
    return result


def _coords_explicit(result: ColumnMap, explicit: Mapping[str, str] | None) -> bool:
    """True when columns= already fixed where the coordinates are."""
    if not explicit:
        return False
    return "coords" in result.fields or ("x" in result.fields and "y" in result.fields)


def find_header(source: str, headers: list[str], *, what: str = "file") -> str:
    """The header ``columns=`` means by ``source``: exact, else the one equal after
    normalisation; ConfigError naming the ``what`` (file/table) and its columns otherwise."""
    if source in headers:
        return source
    matches = [h for h in headers if header_key(h) == header_key(source)]
    if len(matches) == 1:
        return matches[0]
    raise ConfigError(
        f"columns= names the column {source!r}, which the {what} does not have; its columns "
        f"are: {', '.join(map(repr, headers))}"
    )
