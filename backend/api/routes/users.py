"""User administration (admin only)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from backend.api.security import AccessDep, Admin
from backend.auth import UserExistsError
from backend.auth.schemas import UserCreate, UserPublic, UserUpdate
from backend.schemas import ErrorOut

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "", response_model=UserPublic, status_code=status.HTTP_201_CREATED, responses={409: {"model": ErrorOut}}
)
def create_user(body: UserCreate, _admin: Admin, access: AccessDep) -> UserPublic:
    """Create a user with a role."""
    try:
        user = access.auth.create_user(body.username, body.password, body.role)
    except UserExistsError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    return UserPublic(id=user.user_id, username=user.username, role=user.role)


@router.get("", response_model=list[UserPublic])
def list_users(_admin: Admin, access: AccessDep) -> list[UserPublic]:
    """Every user."""
    return [
        UserPublic(id=user.user_id, username=user.username, role=user.role, disabled=disabled)
        for user, disabled in access.auth.list_users()
    ]


@router.patch("/{username}", response_model=UserPublic, responses={404: {"model": ErrorOut}})
def update_user(username: str, body: UserUpdate, _admin: Admin, access: AccessDep) -> UserPublic:
    """Disable or re-enable a user; a disabled user's tokens stop working immediately."""
    try:
        access.auth.set_disabled(username, body.disabled)
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no user {username!r}") from exc
    for user, disabled in access.auth.list_users():
        if user.username == username:
            return UserPublic(id=user.user_id, username=user.username, role=user.role, disabled=disabled)
    raise HTTPException(status.HTTP_404_NOT_FOUND, f"no user {username!r}")
