"""Authentication and role checks as FastAPI dependencies.

Every route except ``/health``, ``/ready``, ``POST /auth/token`` and the OpenAPI docs requires a
bearer token (401 without a valid one) and a role (403 otherwise). Admins pass every role check.
Conversations are further limited: a patient sees only their own, a clinician only escalated ones;
others get 404, so a conversation id does not reveal that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend.access import AccessServices
from backend.auth import Principal, Role
from backend.db import ConversationRow

bearer = HTTPBearer(auto_error=False, description="token from POST /auth/token")
PURGED_STATUS = "purged"


def get_access(request: Request) -> AccessServices:
    """The access services built by the lifespan."""
    access: AccessServices = request.app.state.access
    return access


AccessDep = Annotated[AccessServices, Depends(get_access)]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def current_user(
    access: AccessDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller behind the bearer token.

    Raises:
        HTTPException: 401 without a token, or with an unknown, expired or revoked one.
    """
    if credentials is None:
        raise _unauthorized("not authenticated: log in with POST /auth/token, then send the token as Bearer")
    principal = access.auth.authenticate(credentials.credentials)
    if principal is None:
        raise _unauthorized("the token is invalid or has expired; log in again")
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """Dependency that admits ``roles`` (and admins); anyone else gets 403."""
    allowed = {*roles, Role.ADMIN}

    def dependency(user: CurrentUser) -> Principal:
        if user.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"role {user.role.value!r} may not do this; allowed: {names}"
            )
        return user

    return dependency


Patient = Annotated[Principal, Depends(require_roles(Role.PATIENT))]
Clinician = Annotated[Principal, Depends(require_roles(Role.CLINICIAN))]
Compliance = Annotated[Principal, Depends(require_roles(Role.COMPLIANCE))]
ClinicalOrCompliance = Annotated[Principal, Depends(require_roles(Role.CLINICIAN, Role.COMPLIANCE))]
Admin = Annotated[Principal, Depends(require_roles())]
PatientOrClinician = Annotated[Principal, Depends(require_roles(Role.PATIENT, Role.CLINICIAN))]


def can_read(user: Principal, row: ConversationRow) -> bool:
    """Patients read their own conversations, clinicians escalated ones, admins all."""
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.PATIENT:
        return row.owner_id == user.user_id
    return user.role is Role.CLINICIAN and row.status == "escalated"


def readable_conversation(conversation_id: str, user: CurrentUser, access: AccessDep) -> ConversationRow:
    """The conversation if ``user`` may read it.

    Raises:
        HTTPException: 404 when it does not exist or is not the caller's to see.
    """
    row = access.conversations.get(conversation_id)
    if row is None or not can_read(user, row):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found")
    return row


def writable_conversation(conversation_id: str, user: Patient, access: AccessDep) -> ConversationRow:
    """The conversation if ``user`` may post to it: its owner (or an admin), and not purged.

    Raises:
        HTTPException: 403 for other roles, 404 when not found or not the caller's, 409 when purged.
    """
    row = access.conversations.get(conversation_id)
    if row is None or (user.role is not Role.ADMIN and row.owner_id != user.user_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found")
    if row.status == PURGED_STATUS:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "this conversation's content has expired under the retention policy; start a new one",
        )
    return row


ReadableConversation = Annotated[ConversationRow, Depends(readable_conversation)]
WritableConversation = Annotated[ConversationRow, Depends(writable_conversation)]
