"""Authentication (users, scrypt password hashes, opaque bearer tokens) and roles."""

from backend.auth.models import TokenRow, UserRow
from backend.auth.roles import Principal, Role
from backend.auth.service import AuthService, InvalidCredentialsError, IssuedToken, UserExistsError

__all__ = [
    "AuthService",
    "InvalidCredentialsError",
    "IssuedToken",
    "Principal",
    "Role",
    "TokenRow",
    "UserExistsError",
    "UserRow",
]
