"""Log in (issue a bearer token), who am I, log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials

from backend.api.security import AccessDep, CurrentUser, bearer
from backend.auth import InvalidCredentialsError
from backend.auth.schemas import TokenOut, TokenRequest, UserPublic
from backend.ratelimit import limit_login
from backend.schemas import ErrorOut

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenOut,
    responses={401: {"model": ErrorOut}, 429: {"model": ErrorOut, "description": "too many attempts"}},
    dependencies=[Depends(limit_login)],
)
def login(body: TokenRequest, access: AccessDep) -> TokenOut:
    """Exchange username and password for a bearer token."""
    try:
        issued = access.auth.login(body.username, body.password)
    except InvalidCredentialsError as exc:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "wrong username or password", headers={"WWW-Authenticate": "Bearer"}
        ) from exc
    return TokenOut(
        access_token=issued.token,
        expires_at=issued.expires_at,
        username=issued.principal.username,
        role=issued.principal.role,
    )


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    """The authenticated caller."""
    return UserPublic(id=user.user_id, username=user.username, role=user.role)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    _user: CurrentUser,
    access: AccessDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Revoke the token of this request."""
    if credentials is not None:
        access.auth.revoke(credentials.credentials)
