"""Every sentence a user reads, in Swedish and English, in one place.

Use :func:`msg` with a key; the language comes from ``geo_trygg.settings.lang`` unless
given. Keys are grouped by the module that uses them.
"""

from __future__ import annotations

from typing import Any

from geo_trygg import settings

MESSAGES: dict[str, dict[str, str]] = {
    # --- coordinates (crs.py) -------------------------------------------------------
    "coord_missing": {
        "sv": "koordinat saknas",
        "en": "coordinate is missing",
    },
    "coord_not_numeric": {
        "sv": "koordinaten är inte ett tal",
        "en": "coordinate is not a number",
    },
    "coord_outside_sweden": {
        "sv": "koordinaterna ligger utanför Sverige (eller i ett okänt koordinatsystem)",
        "en": "coordinates lie outside Sweden (or in an unknown coordinate system)",
    },
    "crs_inferred": {
        "sv": "koordinatsystemet angavs inte; tolkat som {crs} utifrån värdenas storlek",
        "en": "no coordinate system given; inferred {crs} from the value ranges",
    },
    "crs_local_zone_assumed": {
        "sv": (
            "koordinaterna ligger i intervallet för SWEREF 99 lokala zoner (EPSG:3007–3018), "
            "som inte kan skiljas åt på värdena; antar SWEREF 99 18 00 (EPSG:3011, Stockholms "
            "stad). Ange crs= (t.ex. crs='EPSG:3007' för Göteborg) om filen är i en annan zon."
        ),
        "en": (
            "coordinates lie in the range of the SWEREF 99 local zones (EPSG:3007–3018), which "
            "cannot be told apart by their values; assuming SWEREF 99 18 00 (EPSG:3011, City of "
            "Stockholm). Pass crs= (e.g. crs='EPSG:3007' for Gothenburg) if the file uses "
            "another zone."
        ),
    },
    "crs_mixed": {
        "sv": "filen blandar koordinatsystem: {counts}",
        "en": "the file mixes coordinate systems: {counts}",
    },
    "coords_swapped": {
        "sv": "{n} rader hade latitud och longitud (eller nord och öst) omkastade och rättades",
        "en": "{n} rows had latitude and longitude (or north and east) swapped and were fixed",
    },
    "row_swapped": {
        "sv": "latitud och longitud var omkastade; rättat",
        "en": "latitude and longitude were swapped; fixed",
    },
    # --- readers: tabular/geo files (io/) ---------------------------------------------
    # files that cannot be read (ReadError)
    "io_file_missing": {
        "sv": "filen finns inte: {path}",
        "en": "the file does not exist: {path}",
    },
    "io_unknown_extension": {
        "sv": "filtypen {ext!r} ({path}) kan inte läsas; läsbara filtyper: {allowed}",
        "en": "files of type {ext!r} ({path}) cannot be read; readable types: {allowed}",
    },
    "io_xls_not_supported": {
        "sv": "{path} är en gammal Excel-fil (.xls); spara den som .xlsx eller .csv i Excel",
        "en": "{path} is an old Excel file (.xls); save it as .xlsx or .csv in Excel",
    },
    "io_cannot_open": {
        "sv": "{path} kunde inte läsas: {error}",
        "en": "{path} could not be read: {error}",
    },
    "io_cannot_decode": {
        "sv": "{path} kunde inte läsas med teckenkodningen {encoding}: {error}",
        "en": "{path} could not be read with the text encoding {encoding}: {error}",
    },
    "io_empty_file": {
        "sv": "{path} är tom: ingen rubrikrad och inga rader",
        "en": "{path} is empty: no header and no rows",
    },
    "io_no_coordinate_columns": {
        "sv": (
            "hittade inga koordinatkolumner i {path}; filens kolumner: {found}. Döp om dem "
            "(t.ex. lat/lon, nord/öst, N/E, x/y) eller ange columns=, t.ex. "
            "columns={{'Nordkoord': 'y', 'Östkoord': 'x'}}"
        ),
        "en": (
            "no coordinate columns found in {path}; the file's columns: {found}. Rename them "
            "(e.g. lat/lon, north/east, N/E, x/y) or pass columns=, e.g. "
            "columns={{'Northing': 'y', 'Easting': 'x'}}"
        ),
    },
    "io_missing_required_column": {
        "sv": (
            "hittade ingen kolumn för {what} i {path}; filens kolumner: {found}. Döp om "
            "kolumnen eller ange columns=, t.ex. columns={{'Min kolumn': '{canonical}'}}"
        ),
        "en": (
            "no column for {what} found in {path}; the file's columns: {found}. Rename the "
            "column or pass columns=, e.g. columns={{'My column': '{canonical}'}}"
        ),
    },
    "io_what_walk_date": {"sv": "vandringens datum", "en": "the walk date"},
    "io_what_category": {
        "sv": "kategori eller beskrivning",
        "en": "category or description",
    },
    "io_what_time": {"sv": "tid eller datum", "en": "time or date"},
    "io_no_geometry": {
        "sv": "{path} har inga geometrier",
        "en": "{path} has no geometries",
    },
    "io_unnamed_column": {"sv": "kolumn {n}", "en": "column {n}"},
    # rejection reasons (one row, one problem)
    "io_row_too_many_fields": {
        "sv": (
            "raden har fler värden ({n}) än rubrikraden har kolumner ({m}); kanske ett "
            "decimalkomma eller semikolon i ett värde som inte står inom citattecken"
        ),
        "en": (
            "the row has more values ({n}) than the header has columns ({m}); perhaps a "
            "decimal comma or separator inside a value that is not in quotes"
        ),
    },
    "io_date_missing": {"sv": "datum saknas", "en": "the date is missing"},
    "io_date_unparseable": {
        "sv": "datumet kunde inte tolkas; skriv t.ex. 2024-03-05, 5/3/2024 eller 5 mars 2024",
        "en": "the date could not be read; write e.g. 2024-03-05, 5/3/2024 or 5 March 2024",
    },
    "io_time_unparseable": {
        "sv": "tiden kunde inte tolkas; skriv t.ex. 2024-03-05 14:30 eller 5/3/2024 14.30",
        "en": "the time could not be read; write e.g. 2024-03-05 14:30 or 5/3/2024 14.30",
    },
    "io_date_invalid": {
        "sv": "datumet finns inte i kalendern (t.ex. 31 februari)",
        "en": "the date does not exist in the calendar (e.g. 31 February)",
    },
    "io_date_out_of_range": {
        "sv": "årtalet är orimligt (tillåtet: 1900–2199)",
        "en": "the year is implausible (allowed: 1900–2199)",
    },
    "io_clock_without_date": {
        "sv": (
            "bara ett klockslag, inget datum; ange datumet i samma kolumn eller i en datumkolumn"
        ),
        "en": "only a time of day, no date; give the date in the same column or a date column",
    },
    "io_category_and_description_missing": {
        "sv": "både kategori och beskrivning saknas; minst en av dem behövs",
        "en": "both category and description are missing; at least one is needed",
    },
    "io_status_unknown": {
        "sv": "okänd status; tillåtna värden: {allowed}",
        "en": "unknown status; allowed values: {allowed}",
    },
    "io_severity_unknown": {
        "sv": "okänd allvarlighetsgrad; tillåtna värden: 1 (låg), 2 (medel), 3 (hög)",
        "en": "unknown severity; allowed values: 1 (low), 2 (medium), 3 (high)",
    },
    "io_duplicate_id": {
        "sv": "samma id som rad {first}; varje id får bara finnas en gång i filen",
        "en": "same id as row {first}; each id may appear only once in the file",
    },
    "io_time_to_before_from": {
        "sv": "sluttiden ({time_to}) ligger före starttiden ({time_from})",
        "en": "the end time ({time_to}) is before the start time ({time_from})",
    },
    "io_precision_unknown": {
        "sv": "okänd lägesprecision; tillåtna värden: {allowed}",
        "en": "unknown location precision; allowed values: {allowed}",
    },
    "io_geometry_missing": {
        "sv": "geometri saknas (tom)",
        "en": "the geometry is missing (empty)",
    },
    "io_geometry_not_point": {
        "sv": "geometrin är inte en punkt utan {geom_type}",
        "en": "the geometry is not a point but a {geom_type}",
    },
    "io_geometry_not_polygon": {
        "sv": "geometrin är inte en yta (polygon) utan {geom_type}",
        "en": "the geometry is not an area (polygon) but a {geom_type}",
    },
    "io_geometry_unrepairable": {
        "sv": "polygonen är ogiltig och kunde inte lagas till en yta",
        "en": "the polygon is invalid and could not be repaired into an area",
    },
    "io_level_unknown": {
        "sv": "okänd eller saknad områdesnivå; tillåtna värden: {allowed}",
        "en": "unknown or missing area level; allowed values: {allowed}",
    },
    "io_note_file_field": {
        "sv": "kolumnen {column} togs från filens fält {field!r}",
        "en": "the column {column} was taken from the file's field {field!r}",
    },
    "io_area_name_missing": {
        "sv": "områdets namn saknas",
        "en": "the area's name is missing",
    },
    # notes in the summary
    "io_note_csv": {
        "sv": "läst som text med teckenkodning {enc} och kolumnavgränsare {sep}",
        "en": "read as text with encoding {enc} and separator {sep}",
    },
    "io_note_encoding_fallback": {
        "sv": "filen var inte giltig UTF-8; läst som {enc} (Windows/Excel)",
        "en": "the file was not valid UTF-8; read as {enc} (Windows/Excel)",
    },
    "io_note_sheet": {"sv": "läst från bladet {sheet!r}", "en": "read from sheet {sheet!r}"},
    "io_note_layer": {"sv": "läst från lagret {layer!r}", "en": "read from layer {layer!r}"},
    "io_note_blank_rows": {
        "sv": "{n} helt tomma rader hoppades över",
        "en": "{n} entirely blank rows were skipped",
    },
    "io_note_columns": {
        "sv": "kolumner tolkade som: {mapping}",
        "en": "columns read as: {mapping}",
    },
    "io_note_extra_columns": {
        "sv": "övriga kolumner behålls med prefixet src_: {columns}",
        "en": "other columns are kept with the prefix src_: {columns}",
    },
    "io_note_xy_convention": {
        "sv": (
            "kolumnen {x} innehåller nordkoordinater och {y} östkoordinater (svensk "
            "geodetisk konvention: x = norr); tolkat så"
        ),
        "en": (
            "column {x} holds northings and {y} eastings (Swedish geodetic convention: "
            "x = north); read that way"
        ),
    },
    "io_note_crs_file": {
        "sv": "koordinatsystem från filen: {crs}",
        "en": "coordinate system from the file: {crs}",
    },
    "io_note_crs_given_over_file": {
        "sv": "crs={given} används i stället för filens koordinatsystem {file}",
        "en": "crs={given} is used instead of the file's coordinate system {file}",
    },
    "io_note_crs_catalogue": {
        "sv": "filen anger inget koordinatsystem; katalogens {crs} används",
        "en": "the file declares no coordinate system; the catalogue's {crs} is used",
    },
    "io_note_crs_not_degrees": {
        "sv": (
            "filen anger {crs} (grader) men värdena är inte grader; koordinatsystemet "
            "tolkas i stället från värdena"
        ),
        "en": (
            "the file declares {crs} (degrees) but the values are not degrees; the coordinate "
            "system is inferred from the values instead"
        ),
    },
    "io_note_dbf_encoding": {
        "sv": "shapefilens .dbf saknar .cpg-fil; attributen lästes som {enc}",
        "en": "the shapefile's .dbf has no .cpg file; attributes were read as {enc}",
    },
    "io_note_z_dropped": {
        "sv": "höjdvärden (Z/M) togs bort från geometrierna",
        "en": "height values (Z/M) were removed from the geometries",
    },
    "io_note_repaired": {
        "sv": "{n} ogiltiga polygoner lagades med make_valid (bara ytdelarna behölls)",
        "en": "{n} invalid polygons were repaired with make_valid (only the area parts kept)",
    },
    "io_note_ids_generated": {
        "sv": (
            "{n} rader saknade id; id skapades som {prefix}-<radnummer>, där {prefix} är {what}"
        ),
        "en": "{n} rows had no id; ids were made as {prefix}-<row number>, {prefix} being {what}",
    },
    "io_id_prefix_walk": {
        "sv": "vandringens id (eller filnamnet {stem!r} när det saknas)",
        "en": "the walk id (or the file name {stem!r} when there is none)",
    },
    "io_id_prefix_file": {
        "sv": "filnamnet {stem!r}",
        "en": "the file name {stem!r}",
    },
    "io_note_status_default": {
        "sv": "{n} rader saknade status och fick status 'ny'",
        "en": "{n} rows had no status and got the status 'new'",
    },
    "io_note_category_from_description": {
        "sv": "{n} rader saknade kategori; kategorin bestämdes från beskrivningen",
        "en": "{n} rows had no category; the category was taken from the description",
    },
    "io_note_day_window": {
        "sv": "{n} händelser hade bara datum, ingen tid; tidsfönstret sattes till hela dygnet",
        "en": "{n} events had a date but no time; the time window was set to the whole day",
    },
    "io_note_next_day": {
        "sv": (
            "{n} tidsfönster där sluttiden (bara klockslag) var tidigare än starttiden "
            "tolkades som att de slutar nästa dag"
        ),
        "en": (
            "{n} time windows whose end (a time of day only) was earlier than the start were "
            "read as ending the next day"
        ),
    },
    "io_note_dst_ambiguous": {
        "sv": (
            "{n} tider låg i timmen som inträffar två gånger när sommartiden slutar; "
            "tolkade som sommartid"
        ),
        "en": (
            "{n} times fell in the hour that occurs twice when summer time ends; read as "
            "summer time"
        ),
    },
    "io_note_dst_nonexistent": {
        "sv": (
            "{n} tider låg i timmen som inte finns när sommartiden börjar; flyttade fram en timme"
        ),
        "en": (
            "{n} times fell in the hour that does not exist when summer time starts; moved "
            "forward one hour"
        ),
    },
    "io_note_no_source_type": {
        "sv": "ingen kolumn med händelsetyp; alla händelser får kategorin 'other'",
        "en": "no event type column; every event gets the category 'other'",
    },
    "io_note_source_default": {
        "sv": "ingen källa angiven (source= eller kolumn); alla händelser får källan 'annan'",
        "en": "no source given (source= or a column); every event gets the source 'annan'",
    },
    "io_note_source_unknown": {
        "sv": "{n} rader hade en okänd källa och fick källan 'annan'",
        "en": "{n} rows had an unknown source and got the source 'annan'",
    },
    "io_note_level_missing": {
        "sv": "ingen områdesnivå angiven (level=); kolumnen level lämnas tom",
        "en": "no area level given (level=); the level column is left empty",
    },
    "io_note_area_name_column": {
        "sv": "områdesnamn från kolumnen {column!r}",
        "en": "area names from the column {column!r}",
    },
    "io_note_area_id": {
        "sv": "område-id från {what}",
        "en": "area ids from {what}",
    },
    "io_area_id_from_name": {"sv": "namnen (unika)", "en": "the names (unique)"},
    "io_note_title_lines": {
        "sv": "{n} rubrikrad(er) ovanför tabellen hoppades över; "
        "kolumnnamnen lästes från rad {row}",
        "en": "{n} title line(s) above the table were skipped; column names read from row {row}",
    },
    "io_note_ids_per_walk": {
        "sv": "id-numren upprepas mellan vandringar men är unika inom varje vandring; "
        "id skrevs som <vandrings-id>-<id>",
        "en": "ids repeat across walks but are unique within each walk; "
        "ids written as <walk id>-<id>",
    },
    "io_note_area_id_not_unique": {
        "sv": "kolumnen {column!r} ser ut som ett id men har upprepade värden; den används inte "
        "som id (ange id_column= för att välja id-kolumn)",
        "en": "column {column!r} looks like an id but repeats values; it is not used as the id "
        "(pass id_column= to choose the id column)",
    },
    "io_note_area_name_from_id": {
        "sv": "filen har inget namnfält; områdets id används som namn",
        "en": "the file has no name field; the area id is used as the name",
    },
    "io_note_duplicates_unavailable": {
        "sv": "dubblettmarkering ej tillgänglig; duplicate_group lämnas tom",
        "en": "duplicate flagging not available; duplicate_group left empty",
    },
    # --- readers: police events API and event vocabulary (io/police.py) ---------------
    "police_file_missing": {
        "sv": "filen finns inte: {path}",
        "en": "the file does not exist: {path}",
    },
    "police_json_invalid": {
        "sv": "filen är inte giltig JSON ({error})",
        "en": "the file is not valid JSON ({error})",
    },
    "police_not_a_list": {
        "sv": "filen innehåller inte en lista med händelser i polisens API-format "
        "(polisen.se/api/events)",
        "en": "the file does not hold a list of events in the police API format "
        "(polisen.se/api/events)",
    },
    "police_not_a_record": {
        "sv": "posten är inte en händelse (ett JSON-objekt med id, datetime, name, location …)",
        "en": "the entry is not an event (a JSON object with id, datetime, name, location …)",
    },
    "police_id_missing": {
        "sv": "händelsens id saknas",
        "en": "the event id is missing",
    },
    "police_id_invalid": {
        "sv": "händelsens id är varken ett heltal eller en text",
        "en": "the event id is neither a whole number nor a text",
    },
    "police_duplicate_id": {
        "sv": "samma id som rad {row}, som behölls",
        "en": "same id as row {row}, which was kept",
    },
    "police_datetime_missing": {
        "sv": "publiceringstiden (datetime) saknas",
        "en": "the publication time (datetime) is missing",
    },
    "police_datetime_invalid": {
        "sv": "publiceringstiden (datetime) kan inte tolkas; väntade t.ex. "
        "'2023-03-20 11:58:36 +01:00'",
        "en": "the publication time (datetime) cannot be read; expected e.g. "
        "'2023-03-20 11:58:36 +01:00'",
    },
    "police_location_missing": {
        "sv": "platsen (location) saknas",
        "en": "the location is missing",
    },
    "police_location_name_missing": {
        "sv": "platsens namn (location.name) saknas, så kommun eller län är okänt",
        "en": "the place name (location.name) is missing, so the kommun or län is unknown",
    },
    "police_gps_invalid": {
        "sv": "koordinaten (location.gps) ska vara 'latitud,longitud', "
        "t.ex. '59.329324,18.068581'",
        "en": "the coordinate (location.gps) must be 'latitude,longitude', "
        "e.g. '59.329324,18.068581'",
    },
    "police_centroid_note": {
        "sv": "Polisens koordinat (location.gps) är mittpunkten i den kommun eller det län som "
        "händelsen anges i, inte platsen för händelsen: {n_kommun} händelser har kommunnivå "
        "och {n_lan} länsnivå; ingen är exakt.",
        "en": "The police coordinate (location.gps) is the centre of the kommun or län the "
        "event is reported in, not the place of the event: {n_kommun} events are at kommun "
        "level and {n_lan} at län level; none is exact.",
    },
    "police_time_fallback": {
        "sv": "{n} händelser saknar en läsbar tid i början av rubriken (name); "
        "publiceringstiden används som händelsetid (rader {rows})",
        "en": "{n} events have no readable time at the start of the title (name); the "
        "publication time is used as the event time (rows {rows})",
    },
    "police_time_after_published": {
        "sv": "{n} händelser har en tid i rubriken som ligger efter publiceringstiden; tiden i "
        "rubriken behålls (rader {rows})",
        "en": "{n} events have a time in the title that is later than the publication time; "
        "the title's time is kept (rows {rows})",
    },
    # --- boundaries.py ----------------------------------------------------------------
    "boundaries_not_covered": {
        "sv": (
            "{n} områden finns inte i korstabellen och ingår därför inte i någon {level}: {names}"
        ),
        "en": "{n} areas are not in the crosswalk and are left out of every {level}: {names}",
    },
    "boundaries_unconfirmed": {
        "sv": (
            "{n} områden fördelades till {level} med ett medlemskap som ingen källa ännu "
            "bekräftar (status 'unconfirmed'): {names}"
        ),
        "en": (
            "{n} areas were assigned to a {level} through a membership no source confirms yet "
            "(status 'unconfirmed'): {names}"
        ),
    },
    "boundaries_and_more": {
        "sv": "{names} … och {n} till",
        "en": "{names} … and {n} more",
    },
    # --- join.py ----------------------------------------------------------------------
    "join_reason_outside": {
        "sv": "punkten ligger utanför alla områden i lagret",
        "en": "the point lies outside every area of the layer",
    },
    "join_reason_on_boundary": {
        "sv": "punkten ligger exakt på en områdesgräns (predicate='within' räknar inte gränsen "
        "till området)",
        "en": "the point lies exactly on an area boundary (predicate='within' does not count "
        "the boundary as part of the area)",
    },
    "join_reason_too_coarse": {
        "sv": "platsen är för grovt angiven för den här nivån (t.ex. bara kommunen är känd) och "
        "texten nämner inget område på nivån",
        "en": "the location is too coarse for this level (e.g. only the kommun is known) and the "
        "text names no area of this level",
    },
    "join_reason_ambiguous_name": {
        "sv": "texten eller platsnamnet nämner flera områden på den här nivån",
        "en": "the text or place name names several areas of this level",
    },
    "join_reason_location_unknown": {
        "sv": "det angivna platsnamnet motsvarar inget område i lagret",
        "en": "the given place name matches no area of the layer",
    },
    "join_reason_no_geometry": {
        "sv": "punkten saknar koordinater",
        "en": "the point has no coordinates",
    },
    "join_reason_name_conflict": {
        "sv": "platsnamnet i texten ligger utanför den kommun eller det län som källan anger",
        "en": "the place name in the text lies outside the kommun or län the source gives",
    },
    "join_unassigned": {
        "sv": "{level}: {n} av {total} punkter fick inget område ({details})",
        "en": "{level}: {n} of {total} points got no area ({details})",
    },
    "join_overlap": {
        "sv": "{level}: {n} punkter ligger där områden i lagret överlappar varandra; varje punkt "
        "fick det minsta av områdena",
        "en": "{level}: {n} points lie where areas of the layer overlap; each point got the "
        "smallest of those areas",
    },
    "join_disagreements": {
        "sv": "{n} punkter fick via kopplingstabellen (crosswalk) ett annat område än polygonen "
        "ger ({details}); kopplingstabellen användes, se result.attrs['disagreements']",
        "en": "{n} points got a different area from the crosswalk than from the polygon "
        "({details}); the crosswalk was used, see result.attrs['disagreements']",
    },
    "join_crosswalk_no_row": {
        "sv": "{level}: kopplingstabellen (crosswalk) saknar rad för {child_level} {names} "
        "({n} punkter); området togs från polygonen",
        "en": "{level}: the crosswalk has no row for {child_level} {names} ({n} points); the "
        "area was taken from the polygon",
    },
    "join_crosswalk_unknown_parent": {
        "sv": "{level}: kopplingstabellen (crosswalk) anger {names}, som inte finns i lagret "
        "({n} punkter); området togs från polygonen. Ange at= så att tabellen och lagret "
        "gäller samma datum.",
        "en": "{level}: the crosswalk gives {names}, which the layer does not have ({n} points); "
        "the area was taken from the polygon. Pass at= so that the crosswalk and the layer "
        "refer to the same date.",
    },
    "join_slivers": {
        "sv": "{n} mycket små bitar av överlappet (under {tol} m²) togs bort",
        "en": "{n} tiny pieces of the overlay (below {tol} m²) were dropped",
    },
    # --- lagesbild: statistics (lagesbild/_stats.py) ----------------------------------
    # change labels (one per change code; decided on the BH-adjusted p-value)
    "stats_change_increase": {"sv": "ökning", "en": "increase"},
    "stats_change_decrease": {"sv": "minskning", "en": "decrease"},
    "stats_change_no_clear_change": {
        "sv": "ingen säker förändring",
        "en": "no clear change",
    },
    "stats_change_too_few": {
        "sv": "för få händelser för att säga",
        "en": "too few events to say",
    },
    "stats_change_no_data": {"sv": "uppgift saknas", "en": "no data"},
    "stats_no_events": {
        "sv": "inga händelser; koncentrationen kan inte beräknas",
        "en": "no events; the concentration cannot be computed",
    },
    "stats_no_places": {
        "sv": "inga platser eller områden; koncentrationen kan inte beräknas",
        "en": "no places or areas; the concentration cannot be computed",
    },
    # weighted displacement difference (lagesbild/_evaluation.py)
    "stats_wdd_decrease": {
        "sv": (
            "Minskning som sannolikt inte är slump: målområdet och buffertzonen fick "
            "tillsammans {n} färre händelser än kontrollområdena ger anledning att vänta "
            "(WDD = {wdd}, Z = {z}, {p})."
        ),
        "en": (
            "A decrease that is unlikely to be chance: the target area and its buffer zone "
            "together had {n} fewer events than the control areas lead one to expect "
            "(WDD = {wdd}, Z = {z}, {p})."
        ),
    },
    "stats_wdd_increase": {
        "sv": (
            "Ökning som sannolikt inte är slump: målområdet och buffertzonen fick tillsammans "
            "{n} fler händelser än kontrollområdena ger anledning att vänta "
            "(WDD = {wdd}, Z = {z}, {p})."
        ),
        "en": (
            "An increase that is unlikely to be chance: the target area and its buffer zone "
            "together had {n} more events than the control areas lead one to expect "
            "(WDD = {wdd}, Z = {z}, {p})."
        ),
    },
    "stats_wdd_no_clear_change": {
        "sv": (
            "Ingen säker förändring: skillnaden mot kontrollområdena (WDD = {wdd}, Z = {z}, "
            "{p}) kan lika gärna vara slump."
        ),
        "en": (
            "No clear change: the difference from the control areas (WDD = {wdd}, Z = {z}, "
            "{p}) could well be chance."
        ),
    },
    "stats_wdd_too_few": {
        "sv": (
            "För få händelser för att dra en slutsats: {n_total} händelser i de fyra "
            "områdena före och efter (minst {min_total} behövs), varav {n_target} i "
            "målområdet (minst {min_target} behövs)."
        ),
        "en": (
            "Too few events to draw a conclusion: {n_total} events in the four areas before "
            "and after (at least {min_total} are needed), {n_target} of them in the target "
            "area (at least {min_target} are needed)."
        ),
    },
    "stats_wdd_components": {
        "sv": (
            "Målområdet jämfört med sin kontroll: {local}; buffertzonen jämfört med sin "
            "kontroll: {displacement} (plus i buffertzonen tyder på att händelser flyttat "
            "dit, minus på att effekten spridit sig dit)."
        ),
        "en": (
            "Target area against its control: {local}; buffer zone against its control: "
            "{displacement} (a plus in the buffer suggests events moved there, a minus that "
            "the benefit spread there)."
        ),
    },
    "stats_wdd_default_windows": {
        "sv": (
            "inga perioder angavs (before=, after=); jämför {before} med {after}: lika långa "
            "perioder (hela dagar) före och efter {date} inom händelsernas tidsspann"
        ),
        "en": (
            "no periods given (before=, after=); comparing {before} with {after}: equally "
            "long periods (whole days) before and after {date} within the events' time span"
        ),
    },
    "stats_wdd_unequal_windows": {
        "sv": (
            "perioderna är olika långa ({before} dagar före, {after} dagar efter); "
            "WDD-testet förutsätter lika långa perioder, så skillnaden kan bero på längden"
        ),
        "en": (
            "the periods differ in length ({before} days before, {after} days after); the "
            "WDD test assumes equally long periods, so the difference may come from the length"
        ),
    },
    "stats_wdd_too_coarse": {
        "sv": (
            "{n} händelser vars läge bara är känt på stadsdels-, kommun- eller länsnivå "
            "räknades inte (deras punkt är inte platsen för händelsen)"
        ),
        "en": (
            "{n} events whose location is known only to stadsdel, kommun or län level were "
            "not counted (their point is not where the event happened)"
        ),
    },
    "stats_wdd_no_time": {
        "sv": "{n} händelser saknar tid och räknades inte",
        "en": "{n} events have no time and were not counted",
    },
    # --- lagesbild: follow-up of walk findings (lagesbild/_followup.py) -----------------
    "fu_total": {"sv": "Totalt", "en": "Total"},
    "fu_no_area": {"sv": "(inget område)", "en": "(no area)"},
    "fu_no_actor": {"sv": "(ingen ansvarig)", "en": "(no responsible actor)"},
    "fu_no_value": {"sv": "(saknas)", "en": "(missing)"},
    "fu_empty": {
        "sv": "det finns inga fynd; tabellen har bara en totalrad med nollor",
        "en": "there are no findings; the table has only a total row of zeros",
    },
    "fu_dates_after_as_of": {
        "sv": (
            "{n} fynd har ett vandrings- eller statusdatum efter as_of ({as_of}); deras "
            "nuvarande status används ändå (as_of avgör bara vad som är försenat)"
        ),
        "en": (
            "{n} findings have a walk or status date after as_of ({as_of}); their current "
            "status is used all the same (as_of only decides what is overdue)"
        ),
    },
    "fu_done_before_walk": {
        "sv": (
            "{n} fynd är markerade som åtgärdade före vandringens datum ({ids}); de räknas "
            "inte med i mediantiden till åtgärd"
        ),
        "en": (
            "{n} findings are marked done before the walk date ({ids}); they are left out of "
            "the median time to done"
        ),
    },
    "fu_change_new": {"sv": "Ny brist", "en": "New finding"},
    "fu_change_closed": {
        "sv": "Avslutad (åtgärdad eller avvisad)",
        "en": "Closed (done or rejected)",
    },
    "fu_change_newly_overdue": {
        "sv": "Nyss försenad (åtgärdsdatum passerat)",
        "en": "Newly overdue (deadline passed)",
    },
    # status files sent back by responsible actors (lagesbild/_status_updates.py)
    "su_what_id": {"sv": "fyndets id", "en": "the finding id"},
    "su_what_status": {"sv": "status", "en": "the status"},
    "su_what_date": {"sv": "datum för statusen", "en": "the date of the status"},
    "su_id_missing": {"sv": "fyndets id saknas", "en": "the finding id is missing"},
    "su_status_missing": {
        "sv": "status saknas; tillåtna värden: {allowed}",
        "en": "the status is missing; allowed values: {allowed}",
    },
    "su_nothing_to_update": {
        "sv": "raden anger ingen ändring: status, datum och kommentar är tomma",
        "en": "the row gives no change: status, date and comment are all blank",
    },
    "su_unknown_id": {
        "sv": "id:t finns inte bland fynden; kontrollera stavningen eller om fyndet är inläst",
        "en": "the id is not among the findings; check the spelling or whether the finding "
        "has been read in",
    },
    "su_warn_unknown_ids": {
        "sv": "{n} statusuppdateringar gäller id som inte finns bland fynden: {ids}; se "
        "unknown_ids",
        "en": "{n} status updates name ids that are not among the findings: {ids}; see "
        "unknown_ids",
    },
    "su_note_applied": {
        "sv": "{n} fynd fick ny status från filen",
        "en": "{n} findings got a new status from the file",
    },
    "su_note_stale": {
        "sv": (
            "{n} uppdateringar var daterade före fyndets senaste status och sparades bara i "
            "historiken"
        ),
        "en": (
            "{n} updates were dated before the finding's latest status and were only kept in "
            "the history"
        ),
    },
    "su_note_unknown": {
        "sv": "{n} uppdateringar gällde id som inte finns bland fynden",
        "en": "{n} updates named ids that are not among the findings",
    },
    # --- lagesbild: time profile (lagesbild/_timeprofile.py) ----------------------------
    "tp_weekday_0": {"sv": "måndag", "en": "Monday"},
    "tp_weekday_1": {"sv": "tisdag", "en": "Tuesday"},
    "tp_weekday_2": {"sv": "onsdag", "en": "Wednesday"},
    "tp_weekday_3": {"sv": "torsdag", "en": "Thursday"},
    "tp_weekday_4": {"sv": "fredag", "en": "Friday"},
    "tp_weekday_5": {"sv": "lördag", "en": "Saturday"},
    "tp_weekday_6": {"sv": "söndag", "en": "Sunday"},
    "tp_no_events": {
        "sv": "det finns inga händelser med en känd tid att räkna; tidsprofilen är tom",
        "en": "there are no events with a known time to count; the time profile is empty",
    },
    "tp_missing_time": {
        "sv": "{n} händelser saknar starttid ({column}) och räknades inte med i tidsprofilen",
        "en": "{n} events have no start time ({column}) and were left out of the time profile",
    },
    "tp_reversed_window": {
        "sv": (
            "{n} händelser har en sluttid som ligger före starttiden och räknades inte med i "
            "tidsprofilen; rätta tiderna i källan"
        ),
        "en": (
            "{n} events end before they start and were left out of the time profile; correct "
            "the times in the source"
        ),
    },
    "tp_naive_times": {
        "sv": "tiderna i {column} saknar tidszon; de tolkades som lokal tid i {tz}",
        "en": "the times in {column} have no time zone; they were read as local time in {tz}",
    },
    "tp_long_windows": {
        "sv": (
            "{n} händelser har ett tidsfönster längre än {days} dagar (det längsta {longest} "
            "dagar); de fördelades ändå jämnt över hela fönstret, så de säger lite om när "
            "händelsen skedde"
        ),
        "en": (
            "{n} events have a time window longer than {days} days (the longest {longest} "
            "days); they were still spread evenly over the whole window, so they say little "
            "about when the event happened"
        ),
    },
    "tp_outside_weeks": {
        "sv": (
            "{weight} händelser (räknat med tidsfönster) ligger utanför veckorna {first}–{last} "
            "och räknades inte med"
        ),
        "en": (
            "{weight} events (counting time windows) lie outside the weeks {first}–{last} and "
            "were not counted"
        ),
    },
    # --- lagesbild: exports (lagesbild/_export.py) --------------------------------------
    "export_yes": {"sv": "ja", "en": "yes"},
    "export_no": {"sv": "nej", "en": "no"},
    "export_contents": {"sv": "Innehåll", "en": "Contents"},
    "export_empty_table": {"sv": "Tabellen är tom.", "en": "The table is empty."},
    "export_rows_shown": {
        "sv": "Visar de första {shown} av {n} raderna; hela tabellen finns i Excel och CSV.",
        "en": "Showing the first {shown} of {n} rows; the whole table is in Excel and CSV.",
    },
    "export_weekly_chart": {"sv": "Händelser per vecka", "en": "Events per week"},
    "export_heat_chart": {
        "sv": "Händelser per veckodag och timme",
        "en": "Events by weekday and hour",
    },
    "export_hour": {"sv": "timme", "en": "hour"},
    "export_week": {"sv": "vecka", "en": "week"},
    "export_chart_max": {"sv": "högsta värde: {value}", "en": "highest value: {value}"},
    "export_chart_all_areas": {
        "sv": "summerat över alla {n} områden",
        "en": "summed over all {n} areas",
    },
    "export_aoristic_note": {
        "sv": (
            "Händelser som bara är kända inom ett tidsfönster (t.ex. inbrott under en helg) är "
            "fördelade över fönstret, därför kan antalen ha decimaler."
        ),
        "en": (
            "Events known only within a time window (e.g. a burglary over a weekend) are spread "
            "over the window, so counts can have decimals."
        ),
    },
    "export_generated_by": {
        "sv": "Skapad med geo_trygg {version}.",
        "en": "Made with geo_trygg {version}.",
    },
    # --- lagesbild: prioritisation and aggregated inputs ---------------------------------
    # prioritisation (lagesbild/_priority.py): phrases of the "why" sentence
    "prio_why_events": {"sv": "många händelser", "en": "many events"},
    "prio_why_events_top": {"sv": "flest händelser", "en": "the most events"},
    "prio_why_events_per_1000": {
        "sv": "många händelser per 1 000 invånare",
        "en": "many events per 1,000 inhabitants",
    },
    "prio_why_events_per_1000_top": {
        "sv": "flest händelser per 1 000 invånare",
        "en": "the most events per 1,000 inhabitants",
    },
    "prio_why_increase": {
        "sv": "en säker ökning mot jämförelseperioden",
        "en": "a clear increase on the comparison period",
    },
    "prio_why_increase_top": {
        "sv": "den största säkra ökningen mot jämförelseperioden",
        "en": "the largest clear increase on the comparison period",
    },
    "prio_why_change": {
        "sv": "en stor ökning mot jämförelseperioden",
        "en": "a large rise on the comparison period",
    },
    "prio_why_change_top": {
        "sv": "störst ökning mot jämförelseperioden",
        "en": "the largest rise on the comparison period",
    },
    "prio_why_overdue": {"sv": "många försenade åtgärder", "en": "many overdue measures"},
    "prio_why_overdue_top": {
        "sv": "flest försenade åtgärder",
        "en": "the most overdue measures",
    },
    "prio_why_severity": {
        "sv": "allvarliga brister som inte är åtgärdade",
        "en": "serious findings not yet dealt with",
    },
    "prio_why_severity_top": {
        "sv": "de allvarligaste bristerna som inte är åtgärdade",
        "en": "the most serious findings not yet dealt with",
    },
    "prio_why_other": {"sv": "högt värde på {name}", "en": "a high value of {name}"},
    "prio_why_other_top": {"sv": "högst värde på {name}", "en": "the highest value of {name}"},
    "prio_why_and": {"sv": "{first} och {second}", "en": "{first} and {second}"},
    "prio_why_nothing": {
        "sv": "inget sticker ut jämfört med de andra områdena",
        "en": "nothing stands out compared with the other areas",
    },
    "prio_missing_values": {
        "sv": (
            "{n} områden saknar värden för {indicators}; de saknade värdena ger 0 i poängen "
            "och står i kolumnen missing"
        ),
        "en": (
            "{n} areas lack values for {indicators}; the missing values add 0 to the score "
            "and are listed in the column missing"
        ),
    },
    "prio_defaults_dropped": {
        "sv": (
            "standardvikterna tar med {dropped}, men tabellen saknar de kolumnerna; poängen "
            "bygger på {used} med vikterna omräknade så att de summerar till 1"
        ),
        "en": (
            "the default weights include {dropped}, but the table lacks those columns; the "
            "score uses {used}, with the weights rescaled to sum to 1"
        ),
    },
    # aggregated inputs (lagesbild/_aggregated*.py): what a required column holds
    "agg_what_area": {"sv": "område", "en": "the area"},
    "agg_what_n": {"sv": "antal", "en": "the count"},
    "agg_what_period": {
        "sv": "period (eller år, kvartal, månad eller vecka)",
        "en": "the period (or year, quarter, month or week)",
    },
    # rejection reasons
    "agg_row_area_missing": {"sv": "område saknas", "en": "the area is missing"},
    "agg_row_category_missing": {"sv": "kategori saknas", "en": "the category is missing"},
    "agg_row_level_missing": {"sv": "områdesnivå saknas", "en": "the area level is missing"},
    "agg_row_level_unknown": {
        "sv": "okänd områdesnivå {value!r}; skriv t.ex. stadsdel, stadsdelsområde, LPO, kommun",
        "en": "unknown area level {value!r}; write e.g. stadsdel, stadsdelsområde, LPO or kommun",
    },
    "agg_row_level_conflict": {
        "sv": "raden gäller nivån {row_level}, men level={level!r} angavs",
        "en": "the row is for the level {row_level}, but level={level!r} was given",
    },
    "agg_row_period_missing": {"sv": "period saknas", "en": "the period is missing"},
    "agg_row_period_bad": {
        "sv": (
            "perioden {value!r} kan inte tolkas; skriv t.ex. 2024, 2024-Q1, 2024-03, "
            "2024-W10 eller 2024-03-05"
        ),
        "en": (
            "the period {value!r} cannot be read; write e.g. 2024, 2024-Q1, 2024-03, "
            "2024-W10 or 2024-03-05"
        ),
    },
    "agg_row_period_needs_year": {
        "sv": "{value!r} säger inte vilket år; lägg till en kolumn för år eller skriv 2024-03",
        "en": "{value!r} does not say which year; add a year column or write e.g. 2024-03",
    },
    "agg_row_period_year_conflict": {
        "sv": "perioden {value!r} stämmer inte med året {year}",
        "en": "the period {value!r} does not match the year {year}",
    },
    "agg_row_n_missing": {
        "sv": "antal saknas; ett tomt värde läses inte som 0",
        "en": "the count is missing; a blank is not read as 0",
    },
    "agg_row_n_masked": {
        "sv": (
            "värdet {value!r} är dolt eller inte redovisat (t.ex. av sekretesskäl); det kan "
            "inte räknas som 0"
        ),
        "en": (
            "the value {value!r} is masked or not published (e.g. for confidentiality); it "
            "cannot be counted as 0"
        ),
    },
    "agg_row_n_not_number": {"sv": "antalet är inte ett tal", "en": "the count is not a number"},
    "agg_row_n_negative": {
        "sv": "antalet är negativt; ett antal kan inte vara mindre än 0",
        "en": "the count is negative; a count cannot be below 0",
    },
    "agg_row_n_not_whole": {
        "sv": "antalet är inte ett heltal; andelar och medelvärden kan inte räknas som antal",
        "en": "the count is not a whole number; shares and averages cannot be used as counts",
    },
    "agg_row_unit_not_count": {
        "sv": (
            "enheten är {unit!r}, inte antal; andelar, procent och poäng kan inte summeras "
            "eller jämföras som antal"
        ),
        "en": (
            "the unit is {unit!r}, not a count; shares, percentages and scores cannot be "
            "summed or compared as counts"
        ),
    },
    "agg_row_duplicate": {
        "sv": "samma område, period och kategori finns redan på rad {row}; räknas inte två gånger",
        "en": "the same area, period and category is already on row {row}; not counted twice",
    },
    # notes and warnings
    "agg_note_level": {"sv": "områdesnivå: {level}", "en": "area level: {level}"},
    "agg_note_no_category": {
        "sv": "tabellen har ingen kategorikolumn; alla antal räknas som kategorin {total!r}",
        "en": "the table has no category column; every count is in the category {total!r}",
    },
    "agg_note_categories_mapped": {
        "sv": "{n} kategorier tolkade som händelsetyper: {mapping}",
        "en": "{n} categories read as event types: {mapping}",
    },
    "agg_note_categories_kept": {
        "sv": "{n} kategorier är ingen känd händelsetyp och behålls som de är skrivna: {names}",
        "en": "{n} categories are no known event type and are kept as written: {names}",
    },
    "agg_cells_missing": {
        "sv": (
            "{n} av {total} kombinationer av område och kategori saknar siffror för hela "
            "{period} (t.ex. {examples}); de visas som saknade, inte som 0. Ange "
            "missing='zero' om källan utelämnar rader med 0"
        ),
        "en": (
            "{n} of {total} area × category cells lack counts for the whole of {period} "
            "(e.g. {examples}); they are shown as missing, not as 0. Pass missing='zero' if "
            "the source leaves out rows with 0"
        ),
    },
    # --- lagesbild: tables (lagesbild/_counts.py, _rates.py, _build.py) -----------------
    "lagesbild_exposure_ratio": {
        "sv": "perioden har {days} dagar och jämförelseperioden {days_compare}; förändringen "
        "prövas mot jämförelseperiodens antal omräknat till periodens längd",
        "en": "the period has {days} days and the comparison period {days_compare}; changes "
        "are tested against the comparison count scaled to the period's length",
    },
    "lagesbild_no_events_in_period": {
        "sv": "inga händelser eller fynd i något område under {period}",
        "en": "no events or findings in any area during {period}",
    },
    "lagesbild_weights_dropped": {
        "sv": "prioriteringen saknar underlag för {names} (t.ex. inga trygghetsvandringar eller "
        "ingen jämförelseperiod) och bygger på de övriga standardvikterna",
        "en": "the prioritisation has no input for {names} (e.g. no safety walks or no "
        "comparison period) and uses the other default weights",
    },
    "lagesbild_population_uncovered": {
        "sv": "inga befolkningsområden överlappar: {names}; befolkningen sattes till 0",
        "en": "no population areas overlap: {names}; population set to 0",
    },
    # --- hotspots: points and grids (hotspots/_points.py, _grid.py) -------------------
    "hotspot_no_precise_points": {
        "sv": "{name}: ingen av {n} punkter har en exakt plats (location_precision 'exact' eller "
        "'address'; här: {shown}). Punkter som bara är kända till kommun eller län (t.ex. "
        "polisens händelser) ligger på en mittpunkt och skulle skapa falska brännpunkter; "
        "använd dem i lägesbilden per område i stället",
        "en": "{name}: none of {n} points has a precise location (location_precision 'exact' or "
        "'address'; here: {shown}). Points known only to kommun or county level (e.g. police "
        "events) sit on a centre point and would make false hotspots; use them in the "
        "lägesbild per area instead",
    },
    "hotspot_coarse_points_left_out": {
        "sv": "{name}: {n} av {total} punkter lämnades utanför eftersom platsen inte är exakt "
        "({shown}); de räknas per område i lägesbilden",
        "en": "{name}: {n} of {total} points were left out because their location is not "
        "precise ({shown}); they are counted per area in the lägesbild",
    },
    "hotspot_area_smaller_than_cell": {
        "sv": "studieområdet ({area} m²) är mindre än en cell ({arg}={size}); välj mindre celler",
        "en": "the study area ({area} m²) is smaller than one cell ({arg}={size}); choose "
        "smaller cells",
    },
    "hotspot_too_many_cells": {
        "sv": "{arg}={size} ger omkring {n} celler, fler än max_cells={max_cells}; välj större "
        "celler, t.ex. {fit}, eller höj max_cells",
        "en": "{arg}={size} gives about {n} cells, more than max_cells={max_cells}; choose "
        "larger cells, e.g. {fit}, or raise max_cells",
    },
    "hotspot_many_cells": {
        "sv": "rutnätet har {n} celler (fler än 100 000): kartor och statistik blir långsamma",
        "en": "the grid has {n} cells (more than 100,000): maps and statistics will be slow",
    },
    "hotspot_no_variation": {
        "sv": "alla celler har samma värde i {value!r}: Gi* kan inte peka ut något",
        "en": "every cell has the same value in {value!r}: Gi* cannot point anything out",
    },
    "hotspot_class_hot_99": {"sv": "brännpunkt (99 %)", "en": "hot spot (99 %)"},
    "hotspot_class_hot_95": {"sv": "brännpunkt (95 %)", "en": "hot spot (95 %)"},
    "hotspot_class_hot_90": {"sv": "brännpunkt (90 %)", "en": "hot spot (90 %)"},
    "hotspot_class_not_significant": {
        "sv": "ingen säker brännpunkt",
        "en": "not significant",
    },
    "hotspot_class_cold_90": {"sv": "kall punkt (90 %)", "en": "cold spot (90 %)"},
    "hotspot_class_cold_95": {"sv": "kall punkt (95 %)", "en": "cold spot (95 %)"},
    "hotspot_class_cold_99": {"sv": "kall punkt (99 %)", "en": "cold spot (99 %)"},
    "hotspot_points_without_geometry": {
        "sv": "{name}: {n} punkter utan koordinater lämnades utanför",
        "en": "{name}: {n} points without coordinates were left out",
    },
    # --- hotspots: near-repeat (hotspots/_knox.py) ----------------------------------
    "knox_no_time": {
        "sv": "{name}: {n} händelser utan tid (kolumnen {column!r}) lämnades utanför testet "
        "av upprepning nära i tid och rum",
        "en": "{name}: {n} events without a time (column {column!r}) were left out of the "
        "near-repeat test",
    },
    "knox_too_few_events": {
        "sv": "{name}: bara {n} händelser{what} har en exakt plats och en tid; testet av "
        "upprepning nära i tid och rum (Knox) jämför par av händelser och behöver minst två",
        "en": "{name}: only {n} events{what} have a precise location and a time; the "
        "near-repeat (Knox) test compares pairs of events and needs at least two",
    },
    "knox_of_category": {
        "sv": " i kategorin {categories}",
        "en": " in the category {categories}",
    },
    "knox_near_repeat": {
        "sv": "Upprepning nära i tid och rum: fler par än slumpen ger (p ≤ 0,05)",
        "en": "Near-repeat pattern: more pairs than chance would give (p ≤ 0.05)",
    },
    "knox_no_pattern": {
        "sv": "Inget tydligt mönster: antalet par kan bero på slumpen",
        "en": "No clear pattern: the number of pairs may be chance",
    },
    "knox_no_pairs": {
        "sv": "Kan inte prövas: inga par av händelser kan hamna i detta band",
        "en": "Cannot be tested: no pair of events can fall in this band",
    },
    # --- hotspots: classification over periods (hotspots/_classify.py, _emerging.py) --
    "series_class_persistent_hotspot": {"sv": "ihållande brännpunkt", "en": "persistent hot spot"},
    "series_class_emerging_hotspot": {"sv": "framväxande brännpunkt", "en": "emerging hot spot"},
    "series_class_former_hotspot": {"sv": "tidigare brännpunkt", "en": "former hot spot"},
    "series_class_intermittent_hotspot": {
        "sv": "periodvis brännpunkt",
        "en": "intermittent hot spot",
    },
    "series_class_persistent_coldspot": {
        "sv": "ihållande kall punkt",
        "en": "persistent cold spot",
    },
    "series_class_emerging_coldspot": {"sv": "framväxande kall punkt", "en": "emerging cold spot"},
    "series_class_former_coldspot": {"sv": "tidigare kall punkt", "en": "former cold spot"},
    "series_class_intermittent_coldspot": {
        "sv": "periodvis kall punkt",
        "en": "intermittent cold spot",
    },
    "series_class_mixed_hotspot_coldspot": {
        "sv": "både brännpunkt och kall punkt",
        "en": "both hot spot and cold spot",
    },
    "series_class_no_pattern": {"sv": "inget mönster", "en": "no pattern"},
    "emerging_new_hotspot": {"sv": "ny brännpunkt", "en": "new hot spot"},
    "emerging_new_coldspot": {"sv": "ny kall punkt", "en": "new cold spot"},
    "emerging_consecutive_hotspot": {"sv": "brännpunkt i följd", "en": "consecutive hot spot"},
    "emerging_consecutive_coldspot": {"sv": "kall punkt i följd", "en": "consecutive cold spot"},
    "emerging_intensifying_hotspot": {
        "sv": "tilltagande brännpunkt",
        "en": "intensifying hot spot",
    },
    "emerging_intensifying_coldspot": {
        "sv": "tilltagande kall punkt",
        "en": "intensifying cold spot",
    },
    "emerging_persistent_hotspot": {"sv": "ihållande brännpunkt", "en": "persistent hot spot"},
    "emerging_persistent_coldspot": {"sv": "ihållande kall punkt", "en": "persistent cold spot"},
    "emerging_diminishing_hotspot": {"sv": "avtagande brännpunkt", "en": "diminishing hot spot"},
    "emerging_diminishing_coldspot": {"sv": "avtagande kall punkt", "en": "diminishing cold spot"},
    "emerging_sporadic_hotspot": {"sv": "sporadisk brännpunkt", "en": "sporadic hot spot"},
    "emerging_sporadic_coldspot": {"sv": "sporadisk kall punkt", "en": "sporadic cold spot"},
    "emerging_oscillating_hotspot": {"sv": "växlande brännpunkt", "en": "oscillating hot spot"},
    "emerging_oscillating_coldspot": {"sv": "växlande kall punkt", "en": "oscillating cold spot"},
    "emerging_historical_hotspot": {"sv": "historisk brännpunkt", "en": "historical hot spot"},
    "emerging_historical_coldspot": {"sv": "historisk kall punkt", "en": "historical cold spot"},
    "emerging_no_pattern": {"sv": "inget mönster", "en": "no pattern detected"},
    "series_recent_one": {
        "sv": 'med {n} perioder och recent_prop={recent_prop} blir ingen period "nylig"; '
        "den sista perioden räknas som nylig (som i sfhotspot). Höj recent_prop eller använd "
        "fler perioder",
        "en": 'with {n} periods and recent_prop={recent_prop} no period is "recent"; the '
        "final period is treated as recent (as in sfhotspot). Raise recent_prop or use more "
        "periods",
    },
    "emerging_trend_impossible": {
        "sv": "med bara {n} perioder kan trendtestet (Mann–Kendall) aldrig bli signifikant på "
        "nivån {trend_alpha}; mönstren tilltagande och avtagande kan därför inte förekomma. "
        "Använd fler perioder (t.ex. kortare perioder över samma tid)",
        "en": "with only {n} periods the trend test (Mann–Kendall) can never be significant "
        "at the level {trend_alpha}, so intensifying and diminishing patterns cannot occur. "
        "Use more periods (e.g. shorter periods over the same time)",
    },
    # --- maps (maps/_map.py, _findings.py, _events.py) ---------------------------------
    "map_title": {
        "sv": "Lägesbild {period}",
        "en": "Situation picture {period}",
    },
    "map_area": {"sv": "Område", "en": "Area"},
    "map_layer_water": {"sv": "Vatten", "en": "Water"},
    "map_period": {
        "sv": "Period",
        "en": "Period",
    },
    "map_compare": {
        "sv": "Jämfört med",
        "en": "Compared with",
    },
    "map_sources": {
        "sv": "Källor",
        "en": "Sources",
    },
    "map_extracted": {
        "sv": "Data uttagna",
        "en": "Data extracted",
    },
    "map_indicator_n": {
        "sv": "Antal",
        "en": "Count",
    },
    "map_indicator_per_km2": {
        "sv": "Antal per km²",
        "en": "Count per km²",
    },
    "map_indicator_per_1000": {
        "sv": "Antal per 1 000 invånare",
        "en": "Count per 1,000 inhabitants",
    },
    "map_indicator_change": {
        "sv": "Förändring mot {compare}",
        "en": "Change against {compare}",
    },
    "map_indicator_priority": {
        "sv": "Prioritet (poäng 0–1)",
        "en": "Priority (score 0–1)",
    },
    "map_indicator_missing": {
        "sv": "indikatorn {indicator!r} finns inte i lägesbilden (t.ex. per_1000 kräver "
        "befolkning, change en jämförelseperiod)",
        "en": "the indicator {indicator!r} is not in the lägesbild (e.g. per_1000 needs a "
        "population, change a comparison period)",
    },
    "map_kind_events": {
        "sv": "Händelser",
        "en": "Events",
    },
    "map_kind_findings": {
        "sv": "Fynd (trygghetsvandring)",
        "en": "Findings (safety walk)",
    },
    "map_kind_counts": {
        "sv": "Räknade händelser",
        "en": "Counted events",
    },
    "map_level_stadsdel": {
        "sv": "Stadsdelar",
        "en": "Districts (stadsdelar)",
    },
    "map_level_stadsdelsomrade": {
        "sv": "Stadsdelsområden",
        "en": "District areas (stadsdelsområden)",
    },
    "map_level_lpo": {
        "sv": "Lokalpolisområden",
        "en": "Local police areas (LPO)",
    },
    "map_level_polisomrade": {
        "sv": "Polisområden",
        "en": "Police areas",
    },
    "map_level_kommun": {
        "sv": "Kommuner",
        "en": "Municipalities",
    },
    "map_level_lan": {
        "sv": "Län",
        "en": "Counties",
    },
    "map_level_utsatt_omrade": {
        "sv": "Utsatta områden",
        "en": "Vulnerable areas (utsatta områden)",
    },
    "map_level_place": {
        "sv": "Platser (platssamverkan)",
        "en": "Places (place-based collaboration)",
    },
    "map_group_boundaries": {
        "sv": "Gränser",
        "en": "Boundaries",
    },
    "map_group_events": {
        "sv": "Händelser",
        "en": "Events",
    },
    "map_group_findings": {
        "sv": "Trygghetsvandringar",
        "en": "Safety walks",
    },
    "map_group_other": {
        "sv": "Övriga lager",
        "en": "Other layers",
    },
    "map_field_name": {
        "sv": "Namn",
        "en": "Name",
    },
    "map_field_category": {
        "sv": "Kategori",
        "en": "Category",
    },
    "map_field_kategori": {
        "sv": "Kategori",
        "en": "Category",
    },
    "map_field_year": {
        "sv": "År",
        "en": "Year",
    },
    "map_field_ar": {
        "sv": "År",
        "en": "Year",
    },
    "map_field_valid_from": {
        "sv": "Gäller från",
        "en": "Valid from",
    },
    "map_field_change": {
        "sv": "Förändring",
        "en": "Change",
    },
    "map_field_finding_id": {
        "sv": "Id",
        "en": "Id",
    },
    "map_field_description": {
        "sv": "Beskrivning",
        "en": "Description",
    },
    "map_field_actor": {
        "sv": "Ansvarig",
        "en": "Responsible",
    },
    "map_field_status": {
        "sv": "Status",
        "en": "Status",
    },
    "map_field_deadline": {
        "sv": "Senast åtgärdat",
        "en": "Deadline",
    },
    "map_field_walk_date": {
        "sv": "Vandring",
        "en": "Walk date",
    },
    "map_field_hotspot": {
        "sv": "Gi*-klass",
        "en": "Gi* class",
    },
    "map_no_value": {
        "sv": "inget värde",
        "en": "no value",
    },
    "map_overdue": {
        "sv": "Försenad",
        "en": "Overdue",
    },
    "map_status_open": {
        "sv": "Öppen / pågående (cirkel)",
        "en": "Open / in progress (circle)",
    },
    "map_status_overdue": {
        "sv": "Försenad (fyrkant)",
        "en": "Overdue (square)",
    },
    "map_status_done": {
        "sv": "Åtgärdad / avvisad (blek)",
        "en": "Done / rejected (faded)",
    },
    "map_layer_findings": {
        "sv": "Fynd från trygghetsvandringar",
        "en": "Safety-walk findings",
    },
    "map_layer_heat": {
        "sv": "Händelser (värmekarta)",
        "en": "Events (heat map)",
    },
    "map_layer_hotspots": {
        "sv": "Brännpunkter (Gi*)",
        "en": "Hot spots (Gi*)",
    },
    "map_events_note": {
        "sv": "{n} händelser med exakt plats i värmekartan; {coarse} med bara kommun- eller "
        "länsplats räknas per område",
        "en": "{n} events with a precise location in the heat map; {coarse} known only to "
        "kommun or county are counted per area",
    },
    "map_fullscreen": {
        "sv": "Helskärm",
        "en": "Full screen",
    },
    "map_fullscreen_exit": {
        "sv": "Lämna helskärm",
        "en": "Exit full screen",
    },
    "map_search": {
        "sv": "Sök område eller plats",
        "en": "Search area or place",
    },
    "map_search_label": {
        "sv": "Sök",
        "en": "Search",
    },
    # --- maps: assets and browser (maps/_assets.py, _png.py) ---
    "maps_assets_dir_invalid": {
        "sv": "{name}={value!r} är inte en mapp; ange mappen node_modules som `npm ci` skapade "
        "från geo_trygg:s package.json",
        "en": "{name}={value!r} is not a folder; give the node_modules folder that `npm ci` made "
        "from geo_trygg's package.json",
    },
    "maps_assets_missing": {
        "sv": "kartan kan inte göras fristående: dessa filer (JavaScript, CSS, typsnitt) saknas "
        "eller har fel version i {where}: {files}.",
        "en": "the map cannot be made self-contained: these files (JavaScript, CSS, fonts) are "
        "missing or of another version in {where}: {files}.",
    },
    "maps_assets_hint_repo": {
        "sv": "Hämta dem med kommandot `npm ci` i mappen {repo} (kräver Node.js), eller sätt "
        "miljövariabeln {env} till en sådan node_modules-mapp.",
        "en": "Get them with the command `npm ci` in the folder {repo} (needs Node.js), or set "
        "the environment variable {env} to such a node_modules folder.",
    },
    "maps_assets_hint_install": {
        "sv": "Hämta dem med kommandot `npm install --prefix MAPP {specs}` (kräver Node.js) "
        "och sätt miljövariabeln {env} till MAPP/node_modules.",
        "en": "Get them with the command `npm install --prefix FOLDER {specs}` (needs Node.js) "
        "and set the environment variable {env} to FOLDER/node_modules.",
    },
    "maps_asset_unknown": {
        "sv": "kartan hämtar {urls} från nätet och geo_trygg har ingen lokal kopia av det, så "
        "kartan kan inte göras fristående; ta bort det kartelementet eller spara kartan utan "
        "self_contained (geo_trygg.maps.asset_table() visar vilka filer som finns lokalt)",
        "en": "the map loads {urls} from the network and geo_trygg has no local copy of it, "
        "so the map cannot be made self-contained; remove that map element or save the map "
        "without self_contained (geo_trygg.maps.asset_table() lists the files available "
        "locally)",
    },
    "maps_asset_css_missing": {
        "sv": "en stilmall hänvisar till filer som inte finns lokalt: {refs}",
        "en": "a stylesheet refers to files that are not available locally: {refs}",
    },
    "maps_browser_missing": {
        "sv": "ingen webbläsare hittades för att göra en bild av kartan. Installera Chromium, "
        "Google Chrome eller Microsoft Edge, eller sätt miljövariabeln GEO_TRYGG_BROWSER till "
        "sökvägen till webbläsarens program. Letade efter: {looked}",
        "en": "no web browser was found to make a picture of the map. Install Chromium, Google "
        "Chrome or Microsoft Edge, or set the environment variable GEO_TRYGG_BROWSER to the "
        "path of the browser's program. Looked for: {looked}",
    },
    "maps_browser_env_invalid": {
        "sv": "GEO_TRYGG_BROWSER={value!r} är inte ett program som kan köras; ange sökvägen till "
        "Chromium, Chrome eller Edge (t.ex. C:\\Program Files (x86)\\Microsoft\\Edge\\"
        "Application\\msedge.exe) eller ta bort variabeln",
        "en": "GEO_TRYGG_BROWSER={value!r} is not a program that can be run; give the path of "
        "Chromium, Chrome or Edge (e.g. C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\"
        "msedge.exe) or remove the variable",
    },
    "maps_browser_arg_invalid": {
        "sv": "browser={value!r} är inte ett program som kan köras; ange sökvägen till Chromium, "
        "Chrome eller Edge, eller None för att leta upp en webbläsare",
        "en": "browser={value!r} is not a program that can be run; give the path of Chromium, "
        "Chrome or Edge, or None to look for a browser",
    },
    "maps_png_bad_number": {
        "sv": "{name}={value!r} är inte tillåtet; ange ett heltal från {low} till {high}",
        "en": "{name}={value!r} is not allowed; give a whole number from {low} to {high}",
    },
    "maps_png_bad_timeout": {
        "sv": "timeout={value!r} är inte tillåtet; ange ett antal sekunder större än 0",
        "en": "timeout={value!r} is not allowed; give a number of seconds greater than 0",
    },
    "maps_png_folder_missing": {
        "sv": "path_png={value!r}: mappen finns inte; skapa den först eller välj en annan",
        "en": "path_png={value!r}: the folder does not exist; create it first or choose another",
    },
    "maps_browser_failed": {
        "sv": "webbläsaren {browser} kunde inte göra en bild av {path} (slutkod {code}). Det "
        "sista den skrev:\n{tail}",
        "en": "the browser {browser} could not make a picture of {path} (exit code {code}). "
        "The last it wrote:\n{tail}",
    },
    "maps_browser_timeout": {
        "sv": "webbläsaren {browser} blev inte klar med bilden av {path} inom {timeout} sekunder "
        "och avbröts; öka timeout= eller gör kartan mindre. Det sista den skrev:\n{tail}",
        "en": "the browser {browser} did not finish the picture of {path} within {timeout} "
        "seconds and was stopped; raise timeout= or make the map smaller. The last it "
        "wrote:\n{tail}",
    },
    "maps_browser_no_png": {
        "sv": "webbläsaren {browser} avslutades utan att skriva någon bild av {path}. Det sista "
        "den skrev:\n{tail}",
        "en": "the browser {browser} ended without writing a picture of {path}. The last it "
        "wrote:\n{tail}",
    },
    # --- pack (pack/_build.py, _index.py) ----------------------------------------------
    "pack_rejected_rows": {
        "sv": "Avvisade indatarader: {n} (se avvisade_rader.csv)",
        "en": "Rejected input rows: {n} (see avvisade_rader.csv)",
    },
    "pack_count": {"sv": "Antal", "en": "Count"},
    "cli_pack_reading": {"sv": "läser indata", "en": "reading the inputs"},
    "cli_pack_summary": {"sv": "Paketets sidor", "en": "The pack's pages"},
    "cli_pack_built": {"sv": "byggd", "en": "built"},
    "cli_pack_reused": {"sv": "oförändrad", "en": "unchanged"},
    "cli_pack_counts": {
        "sv": "{built} byggda, {reused} oförändrade, {failed} misslyckade; {rejected} avvisade "
        "indatarader; {seconds} s",
        "en": "{built} built, {reused} unchanged, {failed} failed; {rejected} rejected input "
        "rows; {seconds} s",
    },
    "pack_locked": {
        "sv": "det gamla paketet {target} kunde inte ersättas ({error}); är en fil i det öppen? "
        "Det nya paketet ligger i {beside}",
        "en": "the old pack {target} could not be replaced ({error}); is a file in it open? "
        "The new pack is in {beside}",
    },
    "changes_title": {"sv": "Ändringar sedan förra paketet", "en": "Changes since the last pack"},
    "changes_no_previous": {
        "sv": "Det finns inget tidigare paket i mappen att jämföra med.",
        "en": "There is no earlier pack in the folder to compare with.",
    },
    "changes_nothing": {"sv": "Inga.", "en": "None."},
    "changes_new": {"sv": "Nya brister", "en": "New findings"},
    "changes_closed": {"sv": "Stängda brister", "en": "Closed findings"},
    "changes_overdue": {"sv": "Nyligen försenade brister", "en": "Newly overdue findings"},
    "changes_labels": {
        "sv": "Områden med ändrad bedömning",
        "en": "Areas whose label changed",
    },
    "pack_png_skipped": {
        "sv": "karta.png gjordes inte: {reason}",
        "en": "karta.png was not made: {reason}",
    },
    "pack_links": {"sv": "Sidor", "en": "Pages"},
    "pack_period_empty": {
        "sv": "period = {period!r}: inga händelser eller fynd under perioden; indata täcker "
        "{cover}",
        "en": "period = {period!r}: no events or findings in the period; the inputs cover {cover}",
    },
    "pack_rank": {"sv": "Prioritet (rang)", "en": "Priority (rank)"},
    "pack_change_up": {"sv": "ökning", "en": "increase"},
    "pack_change_down": {"sv": "minskning", "en": "decrease"},
    "pack_public_intro": {
        "sv": "Offentlig version: bara antal per område. Antal från 1 till {below} visas som "
        "”<{k}”; ”..” är dolt för att ett annat litet antal inte ska kunna räknas fram.",
        "en": "Public version: counts per area only. Counts from 1 to {below} are shown as "
        "“<{k}”; “..” is hidden so that another small count cannot be worked out.",
    },
    # --- public pack (pack/_public.py) ---------------------------------------------------
    "public_kind": {"sv": "Typ", "en": "Kind"},
    "public_category": {"sv": "Kategori", "en": "Category"},
    "public_status": {"sv": "Status", "en": "Status"},
    "public_table_totals": {"sv": "Antal", "en": "Counts"},
    "public_table_category": {"sv": "{kind} per kategori", "en": "{kind} by category"},
    "public_table_status": {"sv": "{kind} per status", "en": "{kind} by status"},
    "public_note": {
        "sv": "”<{k}” = ett antal från 1 till {below}, dolt. ”..” = dolt för att skydda ett "
        "annat litet antal. Förändring visas bara där båda perioderna visas.",
        "en": "“<{k}” = a count from 1 to {below}, hidden. “..” = hidden to protect another "
        "small count. Change is shown only where both periods are shown.",
    },
    "public_map_alt": {
        "sv": "Karta över {area} med antal per område för {period}. Samma antal finns som "
        "tabell i lagesbild.html bredvid kartan.",
        "en": "Map of {area} with counts per area for {period}. The same counts are in a "
        "table in lagesbild.html beside the map.",
    },
    "map_suppressed": {
        "sv": "dolt (litet antal, eller skyddar ett)",
        "en": "hidden (a small count, or protecting one)",
    },
    "map_alt_default": {
        "sv": "Karta: {indicator} per {level}, {period}.",
        "en": "Map: {indicator} by {level}, {period}.",
    },
    "map_table_link": {
        "sv": "Siffrorna som tabell",
        "en": "The figures as a table",
    },
    "pack_map": {"sv": "Karta", "en": "Map"},
    "pack_report": {"sv": "Lägesbild", "en": "Report"},
    "pack_failed": {"sv": "Områden som inte kunde byggas", "en": "Areas that could not be built"},
    "pack_built": {
        "sv": "Paketet är klart: {n} sidor, {failed} misslyckades. Öppna {path}",
        "en": "The pack is ready: {n} pages, {failed} failed. Open {path}",
    },
    # --- pack: masking and action lists (pack/_mask.py, _actions.py) ---
    "mask_personnummer": {"sv": "[personnummer]", "en": "[personal identity number]"},
    "mask_phone": {"sv": "[telefonnummer]", "en": "[phone number]"},
    "act_unknown_actor": {"sv": "Okänd ansvarig", "en": "Unknown responsible actor"},
    "act_title": {"sv": "Åtgärdslista: {actor}", "en": "Action list: {actor}"},
    "act_sheet": {"sv": "Öppna brister", "en": "Open findings"},
    "act_intro": {
        "sv": "Öppna brister den {as_of}: {n}, varav {n_overdue} försenade (åtgärdsdatumet "
        "har passerat). De försenade står först, de mest försenade överst; sedan de övriga "
        "efter åtgärdsdatum.",
        "en": "Open findings on {as_of}: {n}, of which {n_overdue} overdue (past their "
        "deadline). The overdue ones come first, the most overdue at the top; then the "
        "others by deadline.",
    },
    "act_caption": {
        "sv": "Öppna och försenade brister för {actor} den {as_of}",
        "en": "Open and overdue findings for {actor} on {as_of}",
    },
    "act_masked": {
        "sv": "Personnummer och telefonnummer i beskrivningarna är maskerade.",
        "en": "Personal identity numbers and phone numbers in the descriptions are masked.",
    },
    "act_coords": {
        "sv": "Där ingen karta finns anges platsen som latitud, longitud (WGS 84).",
        "en": "Where there is no map, the place is given as latitude, longitude (WGS 84).",
    },
    "act_links": {"sv": "Länkar", "en": "Links"},
    "act_excel": {"sv": "Listan i Excel ({name})", "en": "The list in Excel ({name})"},
    "act_map_for": {"sv": "Karta: {place}", "en": "Map: {place}"},
    "act_overdue_flag": {"sv": "FÖRSENAD", "en": "OVERDUE"},
    "act_col_finding_id": {"sv": "Brist-id", "en": "Finding id"},
    "act_col_category": {"sv": "Kategori", "en": "Category"},
    "act_col_description": {"sv": "Beskrivning", "en": "Description"},
    "act_col_location": {"sv": "Plats", "en": "Location"},
    "act_col_walk_date": {"sv": "Vandringsdatum", "en": "Walk date"},
    "act_col_deadline": {"sv": "Åtgärdas senast", "en": "Deadline"},
    "act_col_status": {"sv": "Status", "en": "Status"},
    "act_col_overdue": {"sv": "Försenad", "en": "Overdue"},
    "act_col_days_overdue": {"sv": "Dagar försenad", "en": "Days overdue"},
    "act_col_map": {"sv": "Karta", "en": "Map"},
    "act_no_crs": {
        "sv": "bristernas punkter saknar koordinatsystem; åtgärdslistorna visar därför inga "
        "koordinater",
        "en": "the findings' points have no coordinate system, so the action lists show no "
        "coordinates",
    },
    # --- cli.py -----------------------------------------------------------------------
    "cli_counts": {
        "sv": "{kind}: {n_input} rader lästa, {n_accepted} godkända, {n_rejected} avvisade",
        "en": "{kind}: {n_input} rows read, {n_accepted} accepted, {n_rejected} rejected",
    },
    "cli_rejected_header": {
        "sv": "Avvisade rader",
        "en": "Rejected rows",
    },
    "cli_col_row": {"sv": "rad", "en": "row"},
    "cli_col_column": {"sv": "kolumn", "en": "column"},
    "cli_col_value": {"sv": "värde", "en": "value"},
    "cli_col_reason": {"sv": "orsak", "en": "reason"},
    "cli_cannot_read": {
        "sv": "Filen kan inte läsas: {error}",
        "en": "The file cannot be read: {error}",
    },
    "cli_bad_config": {
        "sv": "Felaktig inställning: {error}",
        "en": "Invalid setting: {error}",
    },
    "cli_wrote": {
        "sv": "Skrev {n} rader till {path}",
        "en": "Wrote {n} rows to {path}",
    },
    "cli_wrote_rejected": {
        "sv": "Skrev {n} avvisade rader till {path}",
        "en": "Wrote {n} rejected rows to {path}",
    },
    "cli_out_format": {
        "sv": "--out måste sluta på .gpkg, .geojson eller .csv; fick {path!r}",
        "en": "--out must end in .gpkg, .geojson or .csv; got {path!r}",
    },
    "cli_warning": {"sv": "Varning", "en": "Warning"},
    "cli_demo_title": {
        "sv": "geo_trygg demo: trygghetsvandringar och händelser kring Älvsjö centrum och "
        "Fittja centrum (påhittade DEMO-data, ungefärliga gränser)",
        "en": "geo_trygg demo: safety-walk findings and events around Älvsjö centrum and "
        "Fittja centrum (synthetic DEMO data, approximate boundaries)",
    },
    # --- maps: rendering without templates from data (maps/_safe.py) -----------------
    "map_unsafe_branca": {
        "sv": "kartan ritas inte: branca {version} lägger elementens text på ett annat sätt än "
        "geo_trygg känner till, så text från data skulle kunna tolkas som mallkod; installera "
        "den branca-version som environment.yml anger",
        "en": "the map is not drawn: branca {version} handles its elements' text in a way "
        "geo_trygg does not know, so text from the data could be read as template code; "
        "install the branca version environment.yml names",
    },
    # --- public pack: ledger and rest counts (pack/_public.py, _ledger.py) ------------
    "public_table_rest": {
        "sv": "Ej placerade på nivån {level}",
        "en": "Not placed at level {level}",
    },
    "public_rest_total": {"sv": "Totalt", "en": "Total"},
    "public_rest_what": {"sv": "Vad", "en": "What"},
    "ledger_rest": {
        "sv": "resten utanför områdena på nivån {rest}",
        "en": "the rest outside the areas of level {rest}",
    },
    "ledger_level": {
        "sv": "Publiceringsregistret: {publication} har antalet ({count}) på en nivå som inte "
        "är en sidnivå i detta paket. Lägg till nivån i pages, så att det nya paketet skyddar "
        "även de tidigare dolda antalen.",
        "en": "Publication ledger: {publication} has the count ({count}) at a level that is "
        "not a page level of this pack. Add the level to pages, so that the new pack protects "
        "the counts hidden earlier too.",
    },
    "ledger_contradiction": {
        "sv": "Publiceringsregistret: {publication} visade antalet ({count}) som {text}, men "
        "data ger nu {n}. Data har ändrats sedan dess, eller så är det inte samma data. "
        "Publicerades det paketet aldrig: ta bort filen ur registrets mapp. Annars måste "
        "en läsare antas ha båda versionerna; bygg inte om utan att bedöma den risken.",
        "en": "Publication ledger: {publication} showed the count ({count}) as {text}, but "
        "the data now give {n}. The data changed since, or they are not the same data. If "
        "that pack was never published: remove its file from the ledger's folder. Otherwise "
        "a reader must be assumed to hold both versions; do not rebuild without weighing "
        "that risk.",
    },
    "ledger_k": {
        "sv": "Publiceringsregistret: tidigare publiceringar av samma data har min_count "
        "{found}, detta paket {k}. Använd samma min_count.",
        "en": "Publication ledger: earlier publications of the same data have min_count "
        "{found}, this pack {k}. Use the same min_count.",
    },
    "ledger_not_folder": {
        "sv": "ledger = {folder}: publiceringsregistret måste vara en mapp (den skapas när den "
        "saknas), inte en fil.",
        "en": "ledger = {folder}: the publication ledger must be a folder (created when "
        "missing), not a file.",
    },
    "ledger_bad_file": {
        "sv": "Publiceringsregistret: {file} är ingen läsbar publicering ({reason}). Flytta "
        "bort filen eller återställ den.",
        "en": "Publication ledger: {file} is no readable publication ({reason}). Move the file "
        "away or restore it.",
    },
    # --- pack: folders and locks (pack/_pages.py, _build.py, _store.py) ---------------
    "pack_names_ambiguous": {
        "sv": "områdesnamnen {first} och {second} (nivå {level}; {files}) skiljer sig bara i "
        "mellanrum eller Unicode-form. Är de samma område: ge dem samma area_id. Annars: ge dem "
        "namn som skiljer sig i bokstäverna. Inget har byggts",
        "en": "the area names {first} and {second} (level {level}; {files}) differ only in "
        "spacing or Unicode form. If they are one area, give them the same area_id; else give "
        "them names that differ in their letters. Nothing was built",
    },
    "pack_busy": {
        "sv": "ett annat bygge skriver redan till {out} (låsfilen {lock} hölls fortfarande efter "
        "{seconds} s). Vänta tills det är klart och kör igen, eller välj en annan --out",
        "en": "another build is already writing to {out} (the lock file {lock} was still held "
        "after {seconds} s). Wait until it is done and run again, or choose another --out",
    },
    # --- readers: lines, encodings, broken files (io/_tabular.py, _geofiles.py, …) ----
    "io_quote_not_closed_on_line": {
        "sv": (
            'ett citattecken (") öppnas på rad {line} men stängs inte där, så raderna efter '
            "hade lästs som en och samma cell; rad {line} avvisas och läsningen börjar om på "
            "rad {next}. Ta bort citattecknet eller stäng det."
        ),
        "en": (
            'a quote (") opens on line {line} but is not closed there, so the lines after it '
            "would have been read as one cell; line {line} is rejected and reading starts "
            "again on line {next}. Remove the quote or close it."
        ),
    },
    "io_quote_never_closed": {
        "sv": (
            'ett citattecken (") öppnas på rad {line} men stängs aldrig; raderna {line}–{last} '
            "lästes därför som en cell. Ta bort citattecknet eller stäng det."
        ),
        "en": (
            'a quote (") opens on line {line} but is never closed; lines {line}–{last} were '
            "therefore read as one cell. Remove the quote or close it."
        ),
    },
    "io_quote_never_closed_last": {
        "sv": (
            'ett citattecken (") öppnas på rad {line}, den sista raden, men stängs aldrig. '
            "Ta bort citattecknet eller stäng det."
        ),
        "en": (
            'a quote (") opens on line {line}, the last line, but is never closed. Remove the '
            "quote or close it."
        ),
    },
    "io_quote_in_header": {
        "sv": (
            '{path}: ett citattecken (") öppnas på rad {line}, före eller i rubrikraden, men '
            "stängs aldrig, så rubrikraden kan inte läsas. Ta bort citattecknet eller stäng det."
        ),
        "en": (
            '{path}: a quote (") opens on line {line}, above or in the header, but is never '
            "closed, so the header cannot be read. Remove the quote or close it."
        ),
    },
    "io_note_not_utf8": {
        "sv": (
            "filen är inte giltig UTF-8 (byten 0x{byte} på rad {line} ingår inte i något "
            "UTF-8-tecken); läst som {enc} (Windows/Excel)"
        ),
        "en": (
            "the file is not valid UTF-8 (the byte 0x{byte} on line {line} is not part of any "
            "UTF-8 character); read as {enc} (Windows/Excel)"
        ),
    },
    "io_note_utf8_truncated": {
        "sv": (
            "filen slutar mitt i ett UTF-8-tecken (avkortad?); läst som UTF-8 utan de sista "
            "{n} byten"
        ),
        "en": (
            "the file ends in the middle of a UTF-8 character (truncated?); read as UTF-8 "
            "without its last {n} bytes"
        ),
    },
    "io_note_utf16_no_bom": {
        "sv": "filen saknar byte order mark men är kodad som {enc} (varannan byte är noll)",
        "en": "the file has no byte order mark but is encoded as {enc} (every other byte is zero)",
    },
    "io_utf16_invalid": {
        "sv": (
            "{path} börjar som UTF-16-text (Excels ”Unicode-text”) men är inte giltig UTF-16 "
            "({problem}); filen är troligen avkortad eller skadad. Spara den igen från Excel."
        ),
        "en": (
            "{path} starts as UTF-16 text (Excel's “Unicode text”) but is not valid UTF-16 "
            "({problem}); the file is probably truncated or damaged. Save it again from Excel."
        ),
    },
    "io_utf16_odd_length": {
        "sv": "den har ett udda antal byte, {n}",
        "en": "it has an odd number of bytes, {n}",
    },
    "io_utf16_bad_at": {
        "sv": "ogiltiga byte vid position {pos}",
        "en": "invalid bytes at position {pos}",
    },
    "io_binary_file": {
        "sv": (
            "{path} ser inte ut som en textfil (CSV): den innehåller nollbyte (0x00), som "
            "binära filer har. Kontrollera att det är rätt fil, eller spara den som CSV i Excel."
        ),
        "en": (
            "{path} does not look like a text (CSV) file: it holds zero bytes (0x00), as binary "
            "files do. Check that it is the right file, or save it as CSV from Excel."
        ),
    },
    "io_not_xlsx": {
        "sv": (
            "{path} kunde inte läsas som en Excel-arbetsbok (.xlsx/.xlsm); filen är skadad, "
            "avkortad eller inte en Excel-fil. Öppna och spara den i Excel, eller spara som CSV "
            "(tekniskt fel: {error})"
        ),
        "en": (
            "{path} could not be read as an Excel workbook (.xlsx/.xlsm); the file is damaged, "
            "truncated or not an Excel file. Open and save it in Excel, or save it as CSV "
            "(technical error: {error})"
        ),
    },
    "io_not_geofile": {
        "sv": (
            "{path} kunde inte läsas som geodata ({kind}); filen är skadad, avkortad eller i "
            "ett annat format än filändelsen säger (tekniskt fel: {error})"
        ),
        "en": (
            "{path} could not be read as geodata ({kind}); the file is damaged, truncated or in "
            "another format than its extension says (technical error: {error})"
        ),
    },
    "io_geometry_not_finite": {
        "sv": (
            "geometrin har hörn utan giltiga koordinater (NaN eller oändliga värden) och kan "
            "inte användas"
        ),
        "en": "the geometry has vertices without valid coordinates (NaN or infinite values)",
    },
    "police_json_too_deep": {
        "sv": (
            "filen är inte en lista med händelser: JSON-strukturen är nästlad mer än {depth} "
            "nivåer djupt, vilket ingen händelsefil är"
        ),
        "en": (
            "the file is not a list of events: its JSON nests more than {depth} levels deep, "
            "which no events file does"
        ),
    },
    "police_datetime_out_of_range": {
        "sv": ("publiceringstiden (datetime) ligger utanför de år som kan hanteras (1678–2261)"),
        "en": "the publication time (datetime) lies outside the years that can be handled "
        "(1678–2261)",
    },
    # --- readers: duplicate search (io/duplicates.py, _events.py) ----------------------
    "io_note_duplicates_capped": {
        "sv": (
            "dubblettsökningen begränsades för {n} händelser (tiotusentals händelser nära "
            "varandra vid samma tid): de jämfördes bara med de närmaste i tid, så några "
            "dubbletter kan sakna markering"
        ),
        "en": (
            "the duplicate search was limited for {n} events (tens of thousands of events "
            "close together at one time): they were compared only with the nearest in time, "
            "so some duplicates may be unmarked"
        ),
    },
    # --- cli.py and CSV output (io/write.py) -------------------------------------------
    "io_note_point_ids_rows": {
        "sv": "{n} rader saknade id; radnumret i filen blev id",
        "en": "{n} rows had no id; their row number in the file became the id",
    },
    "io_police_json_as_points": {
        "sv": (
            "{path} är en fil från polisens händelse-API; läs den som händelser "
            "(read_events, eller --kind events på kommandoraden)"
        ),
        "en": (
            "{path} is a police events API file; read it as events "
            "(read_events, or --kind events on the command line)"
        ),
    },
    "io_points_json_not_records": {
        "sv": (
            "{path} är varken GeoJSON eller en JSON-lista av poster "
            '([{{"id": …, "lat": …, "lon": …}}, …]) och kan inte läsas som punkter'
        ),
        "en": (
            "{path} is neither GeoJSON nor a JSON list of records "
            '([{{"id": …, "lat": …, "lon": …}}, …]) and cannot be read as points'
        ),
    },
    "io_note_json_records": {
        "sv": "läst som en JSON-lista av {n} poster (rad = postens nummer, från 1)",
        "en": "read as a JSON list of {n} records (row = the record's number, from 1)",
    },
    "cli_police_json_wrong_kind": {
        "sv": "{path} är en fil från polisens händelse-API, inte {what}; ange --kind events",
        "en": "{path} is a police events API file, not {what}; use --kind events",
    },
    "cli_kind_hint": {
        "sv": "Filen ser ut att hålla {what}: ange --kind {kind}",
        "en": "The file looks like {what}: use --kind {kind}",
    },
    "cli_kind_findings": {"sv": "fynd från trygghetsvandringar", "en": "safety-walk findings"},
    "cli_kind_events": {"sv": "händelser", "en": "events"},
    "cli_kind_points": {"sv": "punkter (id och koordinater)", "en": "points (id and coordinates)"},
    "cli_kind_areas": {"sv": "områden", "en": "areas"},
    "cli_interrupted": {"sv": "Avbrutet.", "en": "Interrupted."},
    "cli_write_failed": {
        "sv": "Kunde inte skriva {path}: {reason}",
        "en": "Could not write {path}: {reason}",
    },
    "cli_access_denied": {
        "sv": "Behörighet saknas för {path}",
        "en": "Permission denied for {path}",
    },
    "cli_os_error": {
        "sv": "Filfel för {path}: {reason}",
        "en": "File error for {path}: {reason}",
    },
    "cli_os_enospc": {"sv": "disken är full", "en": "no space left on the disk"},
    "cli_os_edquot": {"sv": "diskkvoten är slut", "en": "the disk quota is used up"},
    "cli_os_erofs": {"sv": "filsystemet är skrivskyddat", "en": "the file system is read-only"},
    "cli_os_eisdir": {"sv": "är en mapp", "en": "is a folder"},
    "cli_os_enotdir": {
        "sv": "en del av sökvägen är inte en mapp",
        "en": "part of the path is not a folder",
    },
    "cli_os_enoent": {"sv": "filen eller mappen finns inte", "en": "no such file or folder"},
    "cli_unknown_path": {"sv": "(okänd fil)", "en": "(unknown file)"},
    "cli_error": {"sv": "Fel: {error}", "en": "Error: {error}"},
}


def msg(key: str, lang: str | None = None, **kwargs: Any) -> str:
    """Return the user-facing sentence ``key`` in ``lang`` (default: ``settings.lang``).

    Parameters
    ----------
    key : str
        Message key in :data:`MESSAGES`.
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.
    **kwargs
        Values for the placeholders in the sentence.

    Returns
    -------
    str
        The formatted sentence.
    """
    entry = MESSAGES[key]
    text = entry.get(lang or settings.lang) or entry["sv"]
    return text.format(**kwargs) if kwargs else text
