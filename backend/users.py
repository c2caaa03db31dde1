"""Create and manage API users from the command line.

``python -m backend.users create --username U --role R`` asks for the password twice (or reads one
line from stdin with ``--password-stdin``). ``list`` shows users; ``disable``/``enable`` switch one.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import timedelta

from audit import make_engine, make_session_factory
from backend.auth import AuthService, Role, UserExistsError
from backend.settings import get_settings


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("repeat password: "):
        raise ValueError("the passwords differ")
    return first


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
