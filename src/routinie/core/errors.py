"""Domain errors, shared by every app and mapped to HTTP answers in one place (`routinie.api`)
and to form errors on the pages. Raising one means nothing was changed."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str = "invalid"


class DomainError(Exception):
    status = 400

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class InvalidInput(DomainError):
    """The input breaks a rule; `errors` names each field and why (HTTP 422)."""

    status = 422

    @classmethod
    def on(cls, field: str, message: str, code: str = "invalid") -> "InvalidInput":
        return cls(message, [FieldError(field, message, code)])


class NotAuthenticated(DomainError):
    status = 401


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class RateLimited(DomainError):
    """Too many attempts; try again after `retry_after` seconds (HTTP 429)."""

    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
