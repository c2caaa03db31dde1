"""Monitoring dashboard: trigger rates by layer and category, flags, escalations, waiting times, incidents."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from frontend.api_client import ApiError
from frontend.monitoring_data import incidents, rates_by_day, trigger_frame
from frontend.session import api_client

MAX_EVENTS = 2000  # turn events read for the per-category breakdown (the most recent ones)
PAGE = 500


def filters_form() -> tuple[dict[str, Any], dict[str, Any]]:
    """Audit filters for the API and the window alone (for the escalation timings)."""
    today = datetime.now(UTC).date()
    with st.form("monitoring_filters"):
        left, right = st.columns(2)
        since = left.date_input("From (UTC)", value=today - timedelta(days=6))
        until = right.date_input("To (UTC, inclusive)", value=today)
        layer = left.text_input("Trigger layer")
        category = right.text_input("Trigger category")
        disposition = left.text_input("Disposition")
        model_id = right.text_input("Model id")
        st.form_submit_button("Apply")
    window: dict[str, Any] = {}
    if isinstance(since, date):
        window["since"] = datetime.combine(since, time.min, tzinfo=UTC).isoformat()
    if isinstance(until, date):
        window["until"] = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC).isoformat()
    extra = {"trigger_layer": layer, "trigger_category": category, "disposition": disposition}
    extra["model_id"] = model_id
    audit = {**window, **{key: value.strip() for key, value in extra.items() if value.strip()}}
    return audit, window


def recent_turns(filters: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The most recent matching turn events (at most ``MAX_EVENTS``) and the total."""
    query = {**filters, "event_type": "turn"}
    total = int(client.audit_events(query, limit=1)["total"])
    start = max(0, total - MAX_EVENTS)
    events: list[dict[str, Any]] = []
    for offset in range(start, total, PAGE):
        events += client.audit_events(query, limit=PAGE, offset=offset)["items"]
    return events, total


def triggers_section(stats: dict[str, Any], events: list[dict[str, Any]], total: int) -> None:
    """Trigger rate per layer per day (all turns) and per category (recent turns), with counts."""
    st.subheader("Safety triggers")
    if stats["trigger_rates"]:
        rates = pd.DataFrame(stats["trigger_rates"]).pivot(index="day", columns="layer", values="rate")
        st.markdown("**Rate per layer per day** (share of turns with a trigger)")
        st.line_chart(rates)
    frame = trigger_frame(events)
    if frame.empty:
        st.caption("No safety triggers in this window.")
        return
    turns_per_day = {row["day"]: int(row["turns"]) for row in stats["per_day"]}
    st.markdown("**Rate per category per day**")
    st.line_chart(rates_by_day(frame, turns_per_day, "category"))
    st.markdown("**Triggers by layer and category**")
    counts = frame.groupby(["layer", "category"]).size().unstack(fill_value=0)
    st.bar_chart(counts)
    if total > len(events):
        st.caption(f"Category breakdown over the latest {len(events)} of {total} turns.")


def flags_section(flags: list[dict[str, Any]]) -> None:
    """Clinician flags by kind and day."""
    st.subheader("Clinician flags")
    if not flags:
        st.caption("No clinician flags.")
        return
    frame = pd.DataFrame(flags)
    frame["day"] = frame["created_at"].astype(str).str[:10]
    kinds = frame.groupby("flag_kind").size()
    columns = st.columns(max(1, len(kinds)))
    for column, (kind, count) in zip(columns, kinds.items(), strict=False):
        column.metric(str(kind).replace("_", " "), int(count))
    st.bar_chart(frame.groupby(["day", "flag_kind"]).size().unstack(fill_value=0))


def escalations_section(stats: dict[str, Any], timings: list[dict[str, Any]]) -> None:
    """Escalation volume per day and time to claim / resolve."""
    st.subheader("Escalations and waiting times")
    left, middle, right = st.columns(3)
    left.metric("Turns", stats["turns"])
    middle.metric("Escalated turns", stats["escalated"])
    waiting = [t for t in timings if t["status"] != "resolved"]
    right.metric("Waiting now", len(waiting))
    if stats["per_day"]:
        st.bar_chart(pd.DataFrame(stats["per_day"]).set_index("day")[["turns", "escalated"]])
    if not timings:
        return
    frame = pd.DataFrame(timings)
    frame["day"] = frame["created_at"].astype(str).str[:10]
    summary = frame.groupby("disposition", dropna=False)[["minutes_to_claim", "minutes_to_resolve"]].median()
    st.markdown("**Median minutes to claim and to resolve, by disposition**")
    st.dataframe(summary.round(1))
    st.line_chart(frame.groupby("day")[["minutes_to_claim", "minutes_to_resolve"]].median())


def incident_log(events: list[dict[str, Any]], flags: list[dict[str, Any]]) -> None:
    """Blocked outputs and clinician-flagged answers."""
    st.subheader("Incident log")
    log = incidents(events, flags)
    if log.empty:
        st.caption("No blocked outputs or flagged answers.")
    else:
        st.dataframe(log, hide_index=True)


st.title("Monitoring")
client = api_client()
try:
    audit_filters, window = filters_form()
    stats = client.audit_stats(audit_filters)
    events, total = recent_turns(audit_filters)
    flags = [
        f
        for f in client.flags()["items"]
        if window.get("since", "") <= str(f["created_at"]) < window.get("until", "9999")
    ]
    timings = client.escalation_timings(window)
    escalations_section(stats, timings)
    triggers_section(stats, events, total)
    flags_section(flags)
    incident_log(events, flags)
except ApiError as exc:
    st.warning(str(exc))
