"""Authentication: argon2 password hashes, opaque session and API tokens stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from microcred.domain.account import MIN_PASSWORD_LENGTH, User, UserData
from microcred.errors import InvalidInput, Problem, TooManyAttempts, Unauthorized
from microcred.store import accounts as repo
from microcred.store.engine import Store

TOKEN_PREFIX = "mct_"  # noqa: S105 - a public prefix, not a secret


def digest(token: str) -> str:
    """The stored form of a session or API token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password too short",
            [Problem("password", f"use at least {MIN_PASSWORD_LENGTH} characters")],
        )


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: ``secret`` is shown once and never stored in clear."""

    id: int
    secret: str


@dataclass(frozen=True)
class LoginSession:
    """A fresh session: the cookie value is shown once and never stored."""

    cookie_value: str
    csrf_token: str
    user: User
    expires_at: datetime


class Accounts:
    """Creates users, logs them in and out, and resolves sessions and tokens."""

    def __init__(
        self,
        store: Store,
        *,
        session_hours: int,
        time_cost: int = 3,
        memory_kib: int = 65536,
        max_failures: int = 10,
        pause_minutes: int = 15,
    ) -> None:
        self._store = store
        self._session_hours = session_hours
        self._max_failures = max_failures
        self._pause = timedelta(minutes=pause_minutes)
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        self._dummy_hash: str | None = None

    def _timing_hash(self) -> str:
        # Verifying against a fixed hash when the email is unknown keeps the timing the same.
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash("microcred-timing-equaliser")
        return self._dummy_hash

    def create_user(self, data: UserData, password: str) -> User:
        """Create an account. Raises InvalidInput for a weak password, Conflict for a taken email."""
        _check_password(password)
        with self._store.write() as conn:
            return repo.create_user(conn, data, self._hasher.hash(password))

    def set_password(self, user_id: int, password: str) -> None:
        """Reset a password (operators only)."""
        _check_password(password)
        with self._store.write() as conn:
            repo.set_password_hash(conn, user_id, self._hasher.hash(password))

    def login(self, email: str, password: str) -> LoginSession:
        """Check a password and open a session. Raises Unauthorized (never says which part was
        wrong) or, after too many failures for this email, TooManyAttempts."""
        email = email.strip().lower()
        window_start = datetime.now(UTC) - self._pause
        with self._store.read() as conn:
            if repo.recent_failures(conn, email, window_start) >= self._max_failures:
                raise TooManyAttempts(
                    "too many failed logins for this email; try again in "
                    f"{int(self._pause.total_seconds() // 60)} minutes"
                )
            found = repo.credentials_for(conn, email)
        stored_hash = found[1] if found else self._timing_hash()
        try:
            self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            found = None
        if found is None:
            with self._store.write() as conn:
                repo.add_failure(conn, email)
            raise Unauthorized("wrong email or password")
        user = found[0]
        cookie_value, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = datetime.now(UTC) + timedelta(hours=self._session_hours)
        with self._store.write() as conn:
            if self._hasher.check_needs_rehash(stored_hash):
                repo.set_password_hash(conn, user.id, self._hasher.hash(password))
            repo.clear_failures(conn, email, older_than=window_start)
            repo.sweep_sessions(conn)
            repo.add_session(
                conn,
                session_hash=digest(cookie_value),
                user_id=user.id,
                csrf_token=csrf,
                expires_at=expires,
            )
        return LoginSession(cookie_value, csrf, user, expires)

    def logout(self, cookie_value: str) -> None:
        """End a session (unknown sessions are ignored)."""
        with self._store.write() as conn:
            repo.drop_session(conn, digest(cookie_value))

    def session(self, cookie_value: str) -> tuple[User, str] | None:
        """The user and CSRF token behind a session cookie, or None if expired/unknown."""
        with self._store.read() as conn:
            return repo.session_user(conn, digest(cookie_value))

    def issue_token(self, user_id: int, name: str) -> IssuedToken:
        """Create an API token; its secret is shown once and stored only as a hash."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._store.write() as conn:
            repo.get_user(conn, user_id)
            token_id = repo.add_token(
                conn, user_id=user_id, name=name, token_hash=digest(secret), prefix=secret[:10]
            )
        return IssuedToken(token_id, secret)

    def revoke_token(self, token_id: int) -> None:
        """Revoke an API token at once. Raises NotFound."""
        with self._store.write() as conn:
            repo.revoke_token(conn, token_id)

    def token_user(self, secret: str) -> User | None:
        """The user behind an API token, or None."""
        if not secret.startswith(TOKEN_PREFIX):
            return None
        with self._store.read() as conn:
            return repo.token_user(conn, digest(secret))
