"""Users, login sessions and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from microcred.domain.account import User, UserData
from microcred.errors import Conflict, NotFound
from microcred.store.schema import api_tokens, login_failures, sessions, users

_USER_COLUMNS = [c for c in users.c if c.name != "password_hash"]


def _user(row: Any) -> User:
    return User.model_validate(dict(row._mapping))


def create_user(conn: Connection, data: UserData, password_hash: str) -> User:
    """Raises Conflict when the email is taken."""
    if conn.execute(select(users.c.id).where(users.c.email == data.email)).first():
        raise Conflict(f"an account for {data.email} already exists")
    new_id = conn.execute(
        insert(users)
        .values(
            **data.model_dump(mode="json"),
            password_hash=password_hash,
            is_active=True,
            created_at=datetime.now(UTC),
        )
        .returning(users.c.id)
    ).scalar_one()
    return get_user(conn, new_id)


def get_user(conn: Connection, user_id: int) -> User:
    """Raises NotFound."""
    row = conn.execute(select(*_USER_COLUMNS).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    return _user(row)


def credentials_for(conn: Connection, email: str) -> tuple[User, str] | None:
    """The active user with this email and their password hash, if any."""
    row = conn.execute(
        select(*_USER_COLUMNS, users.c.password_hash).where(
            users.c.email == email.strip().lower(), users.c.is_active.is_(True)
        )
    ).first()
    if row is None:
        return None
    values = dict(row._mapping)
    password_hash = values.pop("password_hash")
    return User.model_validate(values), password_hash


def set_password_hash(conn: Connection, user_id: int, password_hash: str) -> None:
    """Replace a password hash (rehash on login, or reset)."""
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))


def add_session(
    conn: Connection, *, session_hash: str, user_id: int, csrf_token: str, expires_at: datetime
) -> None:
    """Record a new login session."""
    conn.execute(
        insert(sessions).values(
            id=session_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=datetime.now(UTC),
            expires_at=expires_at,
        )
    )


def session_user(conn: Connection, session_hash: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, or None."""
    row = conn.execute(
        select(*_USER_COLUMNS, sessions.c.csrf_token)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(
            sessions.c.id == session_hash,
            sessions.c.expires_at > datetime.now(UTC),
            users.c.is_active.is_(True),
        )
    ).first()
    if row is None:
        return None
    values = dict(row._mapping)
    csrf = values.pop("csrf_token")
    return User.model_validate(values), csrf


def drop_session(conn: Connection, session_hash: str) -> None:
    """Log a session out; also sweeps expired sessions."""
    conn.execute(delete(sessions).where(sessions.c.id == session_hash))
    sweep_sessions(conn)


def add_token(conn: Connection, *, user_id: int, name: str, token_hash: str, prefix: str) -> int:
    """Record an API token (only its hash) and return its id."""
    return int(
        conn.execute(
            insert(api_tokens)
            .values(
                user_id=user_id,
                name=name,
                token_hash=token_hash,
                prefix=prefix,
                created_at=datetime.now(UTC),
            )
            .returning(api_tokens.c.id)
        ).scalar_one()
    )


def token_user(conn: Connection, token_hash: str) -> User | None:
    """The active user owning a live API token, or None."""
    row = conn.execute(
        select(*_USER_COLUMNS)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(
            api_tokens.c.token_hash == token_hash,
            api_tokens.c.revoked_at.is_(None),
            users.c.is_active.is_(True),
        )
    ).first()
    return _user(row) if row is not None else None


def revoke_token(conn: Connection, token_id: int) -> None:
    """Revoke an API token. Raises NotFound."""
    done = conn.execute(
        update(api_tokens)
        .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    if done.rowcount == 0:
        raise NotFound(f"no live API token with id {token_id}")


def recent_failures(conn: Connection, email: str, since: datetime) -> int:
    """Failed logins for ``email`` since ``since``."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(login_failures)
            .where(login_failures.c.email == email, login_failures.c.failed_at >= since)
        ).scalar_one()
    )


def add_failure(conn: Connection, email: str) -> None:
    """Record a failed login."""
    conn.execute(insert(login_failures).values(email=email, failed_at=datetime.now(UTC)))


def clear_failures(conn: Connection, email: str, *, older_than: datetime) -> None:
    """Forget ``email``'s failures after a success, and everyone's older than ``older_than``."""
    conn.execute(
        delete(login_failures).where(
            (login_failures.c.email == email) | (login_failures.c.failed_at < older_than)
        )
    )


def sweep_sessions(conn: Connection) -> None:
    """Delete expired sessions."""
    conn.execute(delete(sessions).where(sessions.c.expires_at <= datetime.now(UTC)))
