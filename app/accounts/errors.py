"""What account services raise when a request makes no sense; views map them to the form."""


class AccountError(Exception):
    """A request the service refuses; `field` names the form field to attach it to."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ValidationError(AccountError):
    """The input has the right shape but the wrong meaning (taken, too weak, wrong password)."""


class InvalidToken(AccountError):
    """A link that was tampered with, has expired, or was already used."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message)
