"""One error hierarchy. Interfaces map these in one place: HTTP status + JSON, HTML page, exit code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One precise complaint about input: where (``location``) and what is wrong (``message``)."""

    location: str
    message: str
    code: str = "invalid"
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        return f"{where}{self.location}: {self.message}"


class MicrocredError(Exception):
    """Base of every error microcred raises on purpose."""

    code = "error"
    http_status = 500
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(MicrocredError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "not_found"
    http_status = 404
    exit_code = 4


class Unauthorized(MicrocredError):
    """No valid login session or API token."""

    code = "unauthorized"
    http_status = 401
    exit_code = 5


class Forbidden(MicrocredError):
    """Logged in, but not allowed to do this."""

    code = "forbidden"
    http_status = 403
    exit_code = 5


class TooManyAttempts(MicrocredError):
    """Too many failed attempts in a short time; try again later."""

    code = "too_many_attempts"
    http_status = 429
    exit_code = 5


class Conflict(MicrocredError):
    """The write clashes with existing data (duplicate key, stale state)."""

    code = "conflict"
    http_status = 409
    exit_code = 6


class TooLarge(MicrocredError):
    """An upload or request body is larger than allowed."""

    code = "too_large"
    http_status = 413
    exit_code = 2


class InvalidInput(MicrocredError):
    """Input failed validation; ``problems`` says exactly what and where."""

    code = "invalid_input"
    http_status = 422
    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

    def __reduce__(self) -> tuple[type[InvalidInput], tuple[str, list[Problem]]]:
        # Keeps the problems when raised in a worker process and re-raised in the parent.
        return (type(self), (self.message, self.problems))

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  … and {more} more" if more > 0 else ""
        return f"{self.message}\n{lines}{tail}"


class ConfigurationError(MicrocredError):
    """Settings or environment make it impossible to start."""

    code = "configuration"
    exit_code = 3
