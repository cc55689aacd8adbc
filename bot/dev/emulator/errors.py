"""Errors the emulator answers with, shaped like Telegram's own error responses."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer: ``{"ok": false, "error_code": ..., "description": ...}``.

    ``reasons`` lists the violations it stands for; an error with no reasons (a blocked user,
    an injected 429) is something a correct bot can meet and handle, so it is not recorded as
    a violation.
    """

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        reasons: tuple[str, ...] = (),
        retry_after: int | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.reasons = reasons
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would send."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(*reasons: str) -> ApiError:
    """A 400 that is also a violation; the first reason becomes the description."""
    return ApiError(400, f"Bad Request: {reasons[0]}", reasons=reasons)


class SettleTimeoutError(AssertionError):
    """The bot did not finish reacting in time; the message says what is still pending."""


class ReplyTimeoutError(SettleTimeoutError):
    """One person's reply did not come in time; the message says how far the bot got."""
