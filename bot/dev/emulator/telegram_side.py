"""What simulated people and groups ask of the emulator, as protocols: they reach Telegram's
side through these, so neither imports the server that creates them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.dev.emulator.chat import Chat
    from bot.dev.emulator.files import FileStore
    from bot.dev.emulator.transcript import Event


class Person(Protocol):
    """Someone who can tap a button: their name, id and private chat."""

    @property
    def id(self) -> int: ...

    @property
    def first_name(self) -> str: ...

    @property
    def chat(self) -> Chat: ...

    def api_user(self) -> dict[str, Any]: ...


class TelegramSide(Protocol):
    """The emulator as people and groups use it."""

    @property
    def files(self) -> FileStore: ...

    @property
    def group_privacy(self) -> bool: ...

    @property
    def bot_username(self) -> str: ...

    @property
    def bot_user(self) -> dict[str, Any]: ...

    def tap(
        self, person: Person, message_id: int, data: str | None, *, chat: Chat | None = None
    ) -> str: ...

    async def settle(
        self,
        timeout: float | None = None,  # noqa: ASYNC109 - as the emulator's own
        quiet: float | None = None,
    ) -> None: ...

    def inject_update(self, body: dict[str, Any]) -> int: ...

    def record(self, event: Event) -> None: ...

    def add_violation(self, method: str, reason: str) -> None: ...
