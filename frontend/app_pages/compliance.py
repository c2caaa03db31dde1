"""Compliance views of the audit log: chain status, search, results, timeline, exports, trigger charts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from frontend.api_client import ApiError
from frontend.session import api_client

PAGE_SIZE = 50
TABLE_COLUMNS = [
    "sequence",
    "created_at",
    "conversation_id",
    "turn_index",
    "event_type",
    "actor",
    "disposition",
    "escalated",
    "model_id",
    "policy_version",
    "flag_kind",
    "content_purged",
]


def _day_start(day: date) -> str:
    return datetime.combine(day, time.min, tzinfo=UTC).isoformat()


def search_form() -> dict[str, Any]:
    """The filters as API query parameters (only those set)."""
    with st.form("audit_search"):
        left, right = st.columns(2)
        since = left.date_input("From (UTC)", value=None)
        until = right.date_input("To (UTC, inclusive)", value=None)
        conversation_id = left.text_input("Conversation id")
        disposition = right.text_input("Disposition")
        trigger_layer = left.text_input("Trigger layer")
        trigger_category = right.text_input("Trigger category")
        model_id = left.text_input("Model id")
        policy_version = right.text_input("Policy version")
        escalated = left.selectbox("Escalated", ["any", "yes", "no"])
        event_type = right.selectbox("Event type", ["any", "turn", "clinician_flag"])
        st.form_submit_button("Search")
    filters: dict[str, Any] = {
        "conversation_id": conversation_id.strip(),
        "disposition": disposition.strip(),
        "trigger_layer": trigger_layer.strip(),
        "trigger_category": trigger_category.strip(),
        "model_id": model_id.strip(),
        "policy_version": policy_version.strip(),
    }
    if isinstance(since, date):
        filters["since"] = _day_start(since)
    if isinstance(until, date):
        filters["until"] = _day_start(until + timedelta(days=1))
    if escalated != "any":
        filters["escalated"] = escalated == "yes"
    if event_type != "any":
        filters["event_type"] = event_type
    return {key: value for key, value in filters.items() if value not in ("", None)}


def chain_status() -> None:
    """Verification of the whole hash chain."""
    report = client.audit_verify()
    if report["ok"]:
        st.success(
            f"Hash chain verified: {report['events_checked']} events, no broken link.", icon=":material/lock:"
        )
    else:
        st.error(
            f"Hash chain broken at event {report['first_broken_sequence']}: {report['reason']} "
            f"({report['events_checked']} events verified before it).",
            icon=":material/warning:",
        )


def results(filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The results table with paging; returns the events shown."""
    first = client.audit_events(filters, limit=1)
    total = int(first["total"])
    pages = max(1, -(-total // PAGE_SIZE))
    page = int(st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1))
    items: list[dict[str, Any]] = client.audit_events(filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)["items"]
    st.caption(f"{total} matching events")
    if items:
        st.dataframe(pd.DataFrame(items)[TABLE_COLUMNS], hide_index=True)
    return items


def exports(filters: dict[str, Any]) -> None:
    """Download buttons for every matching event."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    csv_col, jsonl_col = st.columns(2)
    csv_col.download_button(
        "Export CSV", client.audit_export("csv", filters), f"audit-{stamp}.csv", "text/csv"
    )
    jsonl_col.download_button(
        "Export JSONL", client.audit_export("jsonl", filters), f"audit-{stamp}.jsonl", "application/x-ndjson"
    )


def timeline(items: list[dict[str, Any]]) -> None:
    """Every event of one conversation, in order."""
    conversations = sorted({item["conversation_id"] for item in items})
    if not conversations:
        return
    chosen = st.selectbox("Conversation timeline", conversations)
    for event in client.audit_timeline(chosen):
        label = f"#{event['sequence']} · {event['created_at']} · {event['actor']} · {event['event_type']}"
        with st.expander(label):
            if event["content_purged"]:
                st.caption("Content purged under the retention policy; hashes kept.")
            st.markdown(f"**Patient (redacted):** {event['redacted_input'] or '—'}")
            st.markdown(f"**Reply:** {event['redacted_output'] or '—'}")
            st.json(
                {
                    key: event[key]
                    for key in ("disposition", "rule_ids", "safety_triggers", "escalated", "flag_kind")
                }
            )


def charts(filters: dict[str, Any]) -> None:
    """Trigger rates per layer per day, escalations per day, and clinician flags."""
    stats = client.audit_stats(filters)
    turns, escalated = st.columns(2)
    turns.metric("Turns", stats["turns"])
    escalated.metric("Escalated", stats["escalated"])
    st.write("Clinician flags:", stats["flags"] or "none")
    if stats["trigger_rates"]:
        rates = pd.DataFrame(stats["trigger_rates"]).pivot(index="day", columns="layer", values="rate")
        st.subheader("Trigger rate per layer per day")
        st.line_chart(rates)
    if stats["per_day"]:
        st.subheader("Escalations per day")
        st.bar_chart(pd.DataFrame(stats["per_day"]).set_index("day")[["turns", "escalated"]])


st.title("Compliance")
client = api_client()
try:
    chain_status()
    current = search_form()
    shown = results(current)
    exports(current)
    timeline(shown)
    charts(current)
except ApiError as exc:
    st.warning(str(exc))
