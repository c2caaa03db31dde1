"""HTTP models of logins and user administration."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from backend.auth.roles import Role


class TokenRequest(BaseModel):
    """Username and password (JSON body of ``POST /auth/token``)."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(BaseModel):
    """A bearer token: send it as ``Authorization: Bearer <access_token>`` until ``expires_at``."""

    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    username: str
    role: Role


class UserCreate(BaseModel):
    """A new user (admin only)."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(pattern=r"^[A-Za-z0-9_.@-]{3,64}$")
    password: str = Field(min_length=8, max_length=1024)
    role: Role


class UserPublic(BaseModel):
    """A user as shown to admins (never the password hash)."""

    id: str
    username: str
    role: Role
    disabled: bool = False


class UserUpdate(BaseModel):
    """Change of a user's status."""

    model_config = ConfigDict(extra="forbid")

    disabled: bool
