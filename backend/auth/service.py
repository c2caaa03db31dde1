"""Users, logins and token checks. Tokens are random, opaque and stored hashed, with an expiry."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backend.auth.models import TokenRow, UserRow
from backend.auth.passwords import DUMMY_HASH, hash_password, verify_password
from backend.auth.roles import Principal, Role
from backend.timeutil import as_utc

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
MIN_PASSWORD_CHARS = 8


class InvalidCredentialsError(PermissionError):
    """Unknown user, wrong password or disabled account (deliberately not told apart)."""


class UserExistsError(ValueError):
    """The username is taken."""


@dataclass(frozen=True)
class IssuedToken:
    """A freshly issued bearer token; the plain token is shown once and never stored."""

    token: str
    expires_at: datetime
    principal: Principal


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _principal(row: UserRow) -> Principal:
    return Principal(user_id=row.id, username=row.username, role=Role(row.role))


class AuthService:
    """Create users, log them in, and resolve bearer tokens to principals.

    Args:
        session_factory: sessions on the application database (tables ``users`` and ``auth_tokens``).
        token_ttl: how long a token stays valid after login.
        clock: current UTC time (injected for tests).
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        token_ttl: timedelta,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = session_factory
        self._ttl = token_ttl
        self._clock = clock

    def create_user(self, username: str, password: str, role: Role) -> Principal:
        """Store a new user with a scrypt password hash.

        Raises:
            ValueError: malformed username or too short a password.
            UserExistsError: the username is taken.
        """
        if not USERNAME_PATTERN.fullmatch(username):
            raise ValueError("username must be 3-64 characters: letters, digits, '_', '.', '@', '-'")
        if len(password) < MIN_PASSWORD_CHARS:
            raise ValueError(f"password must have at least {MIN_PASSWORD_CHARS} characters")
        row = UserRow(
            id=str(uuid.uuid4()),
            username=username,
            password_hash=hash_password(password),
            role=Role(role).value,
            created_at=self._clock(),
            disabled=False,
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError as exc:
            raise UserExistsError(f"username {username!r} is taken") from exc
        return _principal(row)

    def list_users(self) -> list[tuple[Principal, bool]]:
        """Every user with its ``disabled`` flag, by username."""
        with self._sessions() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.username))
            return [(_principal(row), row.disabled) for row in rows]

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable (or re-enable) a user; a disabled user's tokens stop working at once.

        Raises:
            LookupError: no such user.
        """
        with self._sessions.begin() as session:
            result = session.execute(
                update(UserRow).where(UserRow.username == username).values(disabled=disabled)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                raise LookupError(f"no user {username!r}")

    def login(self, username: str, password: str) -> IssuedToken:
        """Check the password and issue a token.

        Raises:
            InvalidCredentialsError: unknown user, wrong password or disabled account.
        """
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username))
        password_ok = verify_password(password, row.password_hash if row else DUMMY_HASH)
        if row is None or not password_ok or row.disabled:
            raise InvalidCredentialsError("wrong username or password")
        token = secrets.token_urlsafe(32)
        now = self._clock()
        expires = now + self._ttl
        with self._sessions.begin() as session:
            session.add(
                TokenRow(token_hash=_digest(token), user_id=row.id, created_at=now, expires_at=expires)
            )
        return IssuedToken(token=token, expires_at=expires, principal=_principal(row))

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a valid token; None when unknown, expired, revoked or the user is disabled."""
        with self._sessions() as session:
            found = session.execute(
                select(TokenRow, UserRow)
                .join(UserRow, UserRow.id == TokenRow.user_id)
                .where(TokenRow.token_hash == _digest(token))
            ).first()
        if found is None:
            return None
        token_row, user = found
        if token_row.revoked_at is not None or user.disabled:
            return None
        if as_utc(token_row.expires_at) <= self._clock():
            return None
        return _principal(user)

    def revoke(self, token: str) -> None:
        """Make ``token`` unusable (logout). Unknown tokens are ignored."""
        with self._sessions.begin() as session:
            session.execute(
                update(TokenRow).where(TokenRow.token_hash == _digest(token)).values(revoked_at=self._clock())
            )

    def delete_expired_tokens(self) -> int:
        """Remove expired and revoked tokens; returns how many."""
        with self._sessions.begin() as session:
            result = session.execute(
                delete(TokenRow).where(
                    (TokenRow.expires_at <= self._clock()) | (TokenRow.revoked_at.is_not(None))
                )
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
