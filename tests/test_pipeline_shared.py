"""End to end on real data: police events API file -> read_events -> assign_areas.

The expectations are computed independently from the raw JSON (json + collections.Counter) and
from facts stated in ``shared/data`` (SOURCE.md files), not from geo_trygg's own output.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import geo_trygg as gt

pytestmark = pytest.mark.shared

EVENTS = "polisen_events_api/events_stockholms_lan_2023-03_2026-08.json"


@pytest.fixture(scope="module")
def assigned(shared_data: Path) -> tuple[list[dict[str, object]], object]:
    raw = json.loads((shared_data / EVENTS).read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        events = gt.read_events(shared_data / EVENTS)
        stadsdelar = gt.read_areas(
            shared_data / "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp",
            source="stockholm-stadsdelar",
        ).accepted
        kommuner = gt.read_areas(
            shared_data / "sverige_kommuner_lan_scb/kommuner.geojson", source="scb-kommuner"
        ).accepted
        out = gt.assign_areas(events.accepted, stadsdelar, kommuner)
    assert events.n_input == len(raw) == events.n_accepted + events.n_rejected
    return raw, out


def test_no_kommun_level_event_gets_a_stadsdel_except_by_name(
    assigned: tuple[list[dict[str, object]], object],
) -> None:
    _, out = assigned
    placed = out[out["stadsdel"].notna()]
    assert len(placed) > 0
    assert set(placed["stadsdel_matched_by"]) == {"name"}
    # every police row is kommun or län precision, so none is placed by its point
    assert set(out["location_precision"]) <= {"kommun", "lan"}


def test_beckomberga_burglary_is_matched_by_name(
    assigned: tuple[list[dict[str, object]], object],
) -> None:
    raw, out = assigned
    # id 409586: "Lägenhetsinbrott i Beckomberga." located only as "Stockholm"
    record = next(r for r in raw if r["id"] == 409586)
    assert record["summary"] == "Lägenhetsinbrott i Beckomberga."
    row = out[out["event_id"] == "409586"].iloc[0]
    assert row["stadsdel"] == "BECKOMBERGA"
    assert row["stadsdel_matched_by"] == "name"


def test_per_kommun_counts_follow_location_name_not_the_point(
    assigned: tuple[list[dict[str, object]], object],
) -> None:
    raw, out = assigned
    tally = Counter(
        str(r["location"]["name"])  # type: ignore[index]
        for r in raw
        if not str(r["location"]["name"]).endswith(" län")  # type: ignore[index]
    )
    by_location = out[out["kommun_matched_by"] == "location"]["kommun"].value_counts()
    assert by_location.to_dict() == dict(tally)
    # Salem's centroid lies inside Botkyrka (SOURCE.md): its events still count for Salem
    assert by_location["Salem"] == tally["Salem"]


def test_lagesbild_on_police_events_over_kommuner_and_stadsdelsomraden(
    shared_data: Path,
) -> None:
    from geo_trygg.lagesbild import build_lagesbild

    raw = json.loads((shared_data / EVENTS).read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        events = gt.read_events(shared_data / EVENTS).accepted
        kommuner = gt.read_areas(
            shared_data / "sverige_kommuner_lan_scb/kommuner.geojson", source="scb-kommuner"
        ).accepted
        sdo = gt.read_areas(
            shared_data / "stockholm_stadsdelsomraden_2020/sdn_2020.shp",
            source="stockholm-stadsdelsomraden-2020",
        ).accepted
        areas = [kommuner, sdo.assign(valid_from=pd.NaT, valid_to=pd.NaT)]
        assigned = gt.assign_areas(events, *areas)
        lb = build_lagesbild(
            events=assigned,
            areas=areas,
            by=("kommun", "stadsdelsomrade"),
            period=("2023-01-01", "2026-09-01"),
            compare=None,
        )
    totals = lb.totals.set_index(["level", "bucket", "area"])["n"]
    # kommun counts: the location.name tally, plus län-level events whose text names the kommun
    tally = Counter(
        r["location"]["name"] for r in raw if not r["location"]["name"].endswith(" län")
    )
    by_name = assigned[assigned["kommun_matched_by"] == "name"]["kommun"].value_counts()
    for kommun, n in tally.items():
        assert totals[("kommun", "area", kommun)] == n + by_name.get(kommun, 0), kommun
    # stadsdelsområde counts come only from events whose text names the area
    sdo_rows = assigned[assigned["stadsdelsomrade"].notna()]
    assert len(sdo_rows) > 0  # e.g. "... i Rinkeby-Kista ..."
    assert set(sdo_rows["stadsdelsomrade_matched_by"]) == {"name"}
    sdo_total = lb.totals.query("level == 'stadsdelsomrade' and bucket == 'area'")["n"].sum()
    assert sdo_total == len(sdo_rows)
    rec = lb.reconciliation.set_index("level")
    assert (rec["n_input"] == len(raw)).all()
    assert (rec["n_in_areas"] + rec["n_outside"] + rec["n_too_coarse"] == len(raw)).all()
