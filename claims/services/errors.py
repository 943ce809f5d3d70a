"""Errors raised by the services, translated to HTTP statuses by the API and to messages by the admin."""


class ServiceError(Exception):
    """Base class for errors a caller can explain to a user."""


class ConflictError(ServiceError):
    """The request conflicts with the current state (HTTP 409)."""


class StaleVersionError(ServiceError):
    """A write was based on an old copy of the record (HTTP 412 in the API)."""

    def __init__(self, model_name: str, expected: int, current: int):
        self.expected = expected
        self.current = current
        super().__init__(
            f"This {model_name} was changed by someone else since you loaded it "
            f"(your copy is version {expected}, the current one is {current}). "
            "Reload it and apply your change again."
        )
