"""Swedish and English names of the lägesbild's tables and columns, for exports and reports."""

from __future__ import annotations

__all__ = ["HEADERS", "TABLE_NAMES", "table_name"]

TABLE_NAMES: dict[str, dict[str, str]] = {
    "totals": {"sv": "Områden", "en": "Areas"},
    "areas": {"sv": "Områden per kategori", "en": "Areas by category"},
    "reconciliation": {"sv": "Avstämning", "en": "Reconciliation"},
    "followup": {"sv": "Åtgärdsuppföljning", "en": "Follow-up of measures"},
    "overdue": {"sv": "Försenade åtgärder", "en": "Overdue measures"},
    "weekday_hour": {"sv": "Veckodag och timme", "en": "Weekday and hour"},
    "weekly": {"sv": "Per vecka", "en": "Weekly"},
    "concentration": {"sv": "Koncentration", "en": "Concentration"},
    "places": {"sv": "Platser", "en": "Places"},
    "places_reconciliation": {"sv": "Platser avstämning", "en": "Places reconciliation"},
    "places_followup": {"sv": "Platser uppföljning", "en": "Places follow-up"},
}
"""Table key -> display name per language (sheet names, report sections)."""

HEADERS: dict[str, dict[str, str]] = {
    "kind": {"sv": "Underlag", "en": "Input"},
    "level": {"sv": "Nivå", "en": "Level"},
    "bucket": {"sv": "Del", "en": "Part"},
    "area": {"sv": "Område", "en": "Area"},
    "category": {"sv": "Kategori", "en": "Category"},
    "n": {"sv": "Antal", "en": "Count"},
    "n_compare": {"sv": "Antal jämförelseperiod", "en": "Count, comparison period"},
    "expected": {"sv": "Förväntat", "en": "Expected"},
    "change": {"sv": "Förändring", "en": "Change"},
    "rate_ratio": {"sv": "Kvot", "en": "Rate ratio"},
    "p_value": {"sv": "p-värde", "en": "p-value"},
    "p_adjusted": {"sv": "p-värde (justerat, BH)", "en": "p-value (adjusted, BH)"},
    "change_code": {"sv": "Förändring (kod)", "en": "Change (code)"},
    "change_label": {"sv": "Bedömning", "en": "Assessment"},
    "land_km2": {"sv": "Landyta km²", "en": "Land area km²"},
    "per_km2": {"sv": "Per km²", "en": "Per km²"},
    "population": {"sv": "Befolkning", "en": "Population"},
    "per_1000": {"sv": "Per 1 000 invånare", "en": "Per 1,000 inhabitants"},
    "n_input": {"sv": "Antal i perioden", "en": "Count in the period"},
    "n_in_areas": {"sv": "I områden", "en": "In areas"},
    "n_outside": {"sv": "Utanför alla områden", "en": "Outside every area"},
    "n_too_coarse": {"sv": "För grov plats för nivån", "en": "Location too coarse"},
    "group": {"sv": "Grupp", "en": "Group"},
    "place": {"sv": "Plats", "en": "Place"},
    "n_in_places": {"sv": "I någon plats", "en": "In a place"},
    "n_in_no_place": {"sv": "I ingen plats", "en": "In no place"},
    "n_memberships": {"sv": "Platsträffar", "en": "Place memberships"},
    "is_total": {"sv": "Totalrad", "en": "Total row"},
    "n_total": {"sv": "Antal fynd", "en": "Findings"},
    "n_open": {"sv": "Nya", "en": "New"},
    "n_in_progress": {"sv": "Pågående", "en": "In progress"},
    "n_done": {"sv": "Åtgärdade", "en": "Done"},
    "n_rejected": {"sv": "Avvisade", "en": "Rejected"},
    "n_overdue": {"sv": "Försenade", "en": "Overdue"},
    "share_done": {"sv": "Andel åtgärdade", "en": "Share done"},
    "median_days_to_done": {"sv": "Mediandagar till åtgärd", "en": "Median days to done"},
    "n_done_dated": {"sv": "Åtgärdade med datum", "en": "Done with a date"},
    "days_overdue": {"sv": "Dagar försenad", "en": "Days overdue"},
    "finding_id": {"sv": "Fynd-id", "en": "Finding id"},
    "walk_id": {"sv": "Vandring", "en": "Walk"},
    "walk_date": {"sv": "Vandringsdatum", "en": "Walk date"},
    "description": {"sv": "Beskrivning", "en": "Description"},
    "responsible_actor": {"sv": "Ansvarig", "en": "Responsible"},
    "status": {"sv": "Status", "en": "Status"},
    "deadline": {"sv": "Åtgärdsdatum", "en": "Deadline"},
    "weekday": {"sv": "Veckodag (nr)", "en": "Weekday (no.)"},
    "weekday_name": {"sv": "Veckodag", "en": "Weekday"},
    "hour": {"sv": "Timme", "en": "Hour"},
    "weight": {"sv": "Antal (viktat)", "en": "Count (weighted)"},
    "event_share": {"sv": "Andel händelser", "en": "Share of events"},
    "places": {"sv": "Antal områden", "en": "Areas"},
    "place_share": {"sv": "Andel områden", "en": "Share of areas"},
    "n_places": {"sv": "Områden totalt", "en": "Areas in all"},
    "generalized_gini": {"sv": "Generaliserad Gini", "en": "Generalised Gini"},
}
"""Column -> header per language; columns not listed keep their name."""


def table_name(key: str, lang: str) -> str:
    """Display name of table ``key`` in ``lang`` (the key itself when unknown)."""
    return TABLE_NAMES.get(key, {}).get(lang, key)
