"""Clinician console: SLA-timed queue, claim, evidence and triggers, reply, flags and answer ratings."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from frontend.api_client import ApiError
from frontend.console_data import (
    FLAG_KINDS,
    PREFERENCES,
    Sla,
    evidence_lines,
    item_label,
    queue_rows,
    trigger_rows,
    was_blocked,
)
from frontend.session import api_client
from frontend.settings import UiSettings

NOTICE_KEY = "console_notice"


def notice(text: str) -> None:
    """Show ``text`` once, after the rerun that an action triggers."""
    st.session_state[NOTICE_KEY] = text
    st.rerun()


def _highlight_overdue(row: pd.Series) -> list[str]:  # type: ignore[type-arg]
    style = "background-color: #f8d7da; color: #842029; font-weight: 600" if row["overdue"] else ""
    return [style] * len(row)


def queue_table() -> None:
    """The queue with SLA timers; redrawn every ``queue_refresh_s`` seconds on its own."""
    try:
        queue = client.clinician_queue()
    except ApiError as exc:
        st.warning(str(exc))
        return
    rows = queue_rows(queue, sla, my_id)
    overdue = sum(row["overdue"] for row in rows)
    left, middle, right = st.columns(3)
    left.metric("Waiting", len(rows))
    middle.metric("Overdue", overdue)
    right.metric("Claimed by you", sum(row["claimed"] == "you" for row in rows))
    if overdue:
        st.error(f"{overdue} escalation(s) past their response target.", icon=":material/alarm:")
    if rows:
        frame = pd.DataFrame(rows)
        styled = frame.style.apply(_highlight_overdue, axis=1)
        st.dataframe(styled.format({"waiting (min)": "{:.1f}", "SLA (min)": "{:.0f}"}), hide_index=True)
    else:
        st.success("The queue is empty.", icon=":material/check_circle:")


def evidence(item: dict[str, Any]) -> None:
    """Why the case was escalated: red flags, rules, the patient's words that matched, triggers."""
    summary = item.get("summary", {})
    st.markdown(
        f"**Reasons:** {', '.join(item.get('reasons', [])) or '—'}  \n"
        f"**Red flags:** {', '.join(summary.get('red_flag_ids', [])) or '—'}  \n"
        f"**Rules:** {', '.join(item.get('rule_ids', [])) or '—'}  \n"
        f"**Triage confidence:** {float(summary.get('confidence', 0.0)):.2f}"
    )
    lines = evidence_lines(summary.get("evidence", []))
    if lines:
        st.markdown("**Evidence phrases**\n" + "\n".join(lines))
    if summary.get("safety_triggers"):
        st.markdown("**Safety triggers of the escalating turn**")
        st.dataframe(pd.DataFrame(trigger_rows(summary["safety_triggers"])), hide_index=True)


def conversation(conversation_id: str, may_reveal: bool) -> None:
    """The conversation, redacted, or with original identifiers for the claiming clinician (audited)."""
    reveal = st.toggle(
        "Show original identifiers (every view is audited)",
        key=f"reveal_{conversation_id}",
        disabled=not may_reveal,
        help="Claim the escalation first." if not may_reveal else None,
    )
    messages: list[dict[str, Any]] = []
    if reveal and may_reveal:
        try:
            messages = client.revealed_messages(conversation_id)
        except ApiError as exc:
            st.warning(str(exc))
    if not messages:
        messages = client.conversation(conversation_id)["messages"]
    for message in messages:
        role = message["role"]
        name, avatar = (
            ("user", None)
            if role == "patient"
            else (role, ":material/stethoscope:" if role == "clinician" else None)
        )
        with st.chat_message(name, avatar=avatar):
            st.markdown(message["content"])


def flag_form(event: dict[str, Any]) -> None:
    """Mark a blocked answer as a false positive, or an allowed answer as unsafe (existing /flags API)."""
    kinds = list(FLAG_KINDS)
    default = kinds.index("false_positive" if was_blocked(event) else "unsafe_answer")
    with st.form(f"flag_{event['event_uuid']}"):
        kind = st.radio("Flag this answer", kinds, index=default, format_func=FLAG_KINDS.__getitem__)
        note = st.text_input("Note (optional)", key=f"flag_note_{event['event_uuid']}")
        if st.form_submit_button("Flag answer"):
            try:
                client.flag(event["event_uuid"], str(kind), note)
            except ApiError as exc:
                st.warning(str(exc))
            else:
                notice(f"Turn {event['turn_index']} flagged as {FLAG_KINDS[str(kind)].lower()}.")


def rating_form(conversation_id: str, event: dict[str, Any]) -> None:
    """Compare the recorded answer (a) with an alternative (b); feeds the alignment preference data."""
    with st.form(f"rate_{event['event_uuid']}"):
        alternative = st.text_area(
            "Alternative answer (B): yours, or the approved template you would have used",
            key=f"rate_b_{event['event_uuid']}",
        )
        preferred = st.radio(
            "Which answer is better?", list(PREFERENCES), format_func=PREFERENCES.__getitem__, horizontal=True
        )
        rationale = st.text_input("Rationale", key=f"rate_why_{event['event_uuid']}")
        if st.form_submit_button("Save rating"):
            if not alternative.strip():
                st.warning("Write the alternative answer (B) first.")
                return
            try:
                client.rate(conversation_id, int(event["turn_index"]), alternative, str(preferred), rationale)
            except ApiError as exc:
                st.warning(str(exc))
            else:
                notice(f"Rating of turn {event['turn_index']} saved.")


def turns(conversation_id: str) -> None:
    """Each audited turn with its disposition, rules and safety triggers; flag and rate tools."""
    rated = {r["turn_index"] for r in client.ratings(conversation_id)["items"]}
    for event in client.audit_timeline(conversation_id):
        triggers = event.get("safety_triggers") or []
        label = (
            f"Turn {event['turn_index']} · {event['event_type']} · {event.get('disposition') or '—'}"
            f" · {len(triggers)} trigger(s){' · blocked/escalated' if was_blocked(event) else ''}"
        )
        with st.expander(label):
            st.markdown(f"**Patient (redacted):** {event.get('redacted_input') or '—'}")
            st.markdown(f"**Answer shown:** {event.get('redacted_output') or '—'}")
            st.caption(f"Rules: {', '.join(event.get('rule_ids') or []) or '—'} · model {event['model_id']}")
            if triggers:
                st.dataframe(pd.DataFrame(trigger_rows(triggers)), hide_index=True)
            if event["event_type"] != "turn":
                continue
            flag_form(event)
            if event["turn_index"] in rated:
                st.caption("You have rated this answer.")
            else:
                rating_form(conversation_id, event)


def reply_form(item: dict[str, Any]) -> None:
    """Message the patient; the paused conversation resumes and the patient's chat shows it."""
    with st.form(f"reply_{item['id']}", clear_on_submit=True):
        text = st.text_area("Message to the patient", key=f"reply_text_{item['id']}")
        resolve = st.checkbox("Resolve the escalation after sending", value=True)
        note = st.text_input("Internal resolution note (optional)")
        if st.form_submit_button("Send to patient"):
            if not text.strip():
                st.warning("Write a message first.")
                return
            try:
                client.clinician_reply(item["id"], text, resolve=resolve, note=note)
            except ApiError as exc:
                st.warning(str(exc))
            else:
                notice("Sent to the patient." + (" Escalation resolved." if resolve else ""))


def escalation_detail(item: dict[str, Any]) -> None:
    """Header, claim button, evidence, conversation, turns and reply for one queue item."""
    mine = item.get("claimed_by") == my_id
    remaining = sla.remaining(item)
    st.subheader(f"{item.get('disposition') or 'unknown'} · priority {item['priority']}")
    waited, target, timer = st.columns(3)
    waited.metric("Waiting (min)", f"{float(item['waiting_minutes']):.1f}")
    target.metric("Target (min)", f"{sla.target(item.get('disposition')):.0f}")
    timer.metric("SLA", "overdue" if remaining <= 0 else f"{remaining:.1f} min left")
    if mine:
        st.caption("Claimed by you.")
    elif item["status"] == "claimed":
        st.warning("Claimed by another clinician.")
    elif st.button("Claim", key=f"claim_{item['id']}", type="primary"):
        try:
            client.claim(item["id"])
        except ApiError as exc:
            st.warning(str(exc))
        else:
            notice("Escalation claimed.")
    evidence(item)
    st.markdown("#### Conversation")
    conversation(item["conversation_id"], mine)
    if mine:
        reply_form(item)
    st.markdown("#### Turns, safety triggers, flags and ratings")
    turns(item["conversation_id"])


st.title("Clinician console")
client = api_client()
settings = UiSettings()
sla = Sla(settings.sla_minutes, settings.sla_default_minutes)
if message := st.session_state.pop(NOTICE_KEY, None):
    st.success(message)
try:
    my_id = client.my_id()
    st.fragment(run_every=settings.queue_refresh_s or None)(queue_table)()
    queue = client.clinician_queue()
    if queue:
        by_id = {item["id"]: item for item in queue}
        chosen = st.selectbox(
            "Open escalation", list(by_id), format_func=lambda key: item_label(by_id[key], sla)
        )
        escalation_detail(by_id[str(chosen)])
    with st.expander("Open a handled conversation by id (flags and ratings after resolution)"):
        handled = st.text_input("Conversation id", key="console_conversation_id").strip()
        if handled:
            conversation(handled, may_reveal=True)
            turns(handled)
except ApiError as exc:
    st.warning(str(exc))
