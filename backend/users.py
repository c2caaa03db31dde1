"""Create and manage API users from the command line.

``python -m backend.users create --username U --role R`` asks for the password twice (or reads one
line from stdin with ``--password-stdin``). ``list`` shows users; ``disable``/``enable`` switch one.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

from audit import make_engine, make_session_factory
from backend.auth import AuthService, Role, UserExistsError
from backend.settings import REPO_ROOT, get_settings


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("repeat password: "):
        raise ValueError("the passwords differ")
    return first


def _seed_dev(auth: AuthService, out: Path) -> None:
    """Create ``demo-<role>`` users with random passwords once; print where the passwords are."""
    existing = {user.username for user, _ in auth.list_users()}
    lines = out.read_text().splitlines() if out.exists() else []
    for role in Role:
        username = f"demo-{role.value}"
        if username in existing:
            continue
        password = secrets.token_urlsafe(12)
        auth.create_user(username, password, role)
        lines.append(f"{username}\t{role.value}\t{password}")
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"demo users (username, role, password) are in {out}:")
    print(out.read_text().strip())


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m backend.users", description="manage API users")
    parser.add_argument("--url", default=None, help="database URL (default: TRIAGE_DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a user")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    commands.add_parser("list", help="list users")
    seed = commands.add_parser("seed-dev", help="dev only: one demo user per role, passwords in a 0600 file")
    seed.add_argument("--out", type=Path, default=REPO_ROOT / "var" / "dev-users.txt")
    for name in ("disable", "enable"):
        commands.add_parser(name, help=f"{name} a user").add_argument("--username", required=True)
    args = parser.parse_args(argv)
    settings = get_settings()
    engine = make_engine(args.url or settings.database_url)
    auth = AuthService(make_session_factory(engine), timedelta(minutes=settings.auth.token_ttl_minutes))
    try:
        if args.command == "create":
            user = auth.create_user(args.username, _read_password(args.password_stdin), Role(args.role))
            print(f"created {user.role.value} {user.username!r} ({user.user_id})")
        elif args.command == "seed-dev":
            if settings.environment == "production":
                raise ValueError("seed-dev is refused in production")
            _seed_dev(auth, args.out)
        elif args.command == "list":
            for user, disabled in auth.list_users():
                print("\t".join([user.username, user.role.value, "disabled" if disabled else "active"]))
        else:
            auth.set_disabled(args.username, args.command == "disable")
            print(f"{args.command}d {args.username!r}")
    except (ValueError, LookupError, UserExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
