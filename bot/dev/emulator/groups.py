"""Simulated group chats: people write there, and the bot takes part once someone adds it.

A group leader may add the bot to their group to see totals there.  Telegram's rules for bots
in groups are kept: the bot hears nothing until it is a member, and with privacy mode on (the
default from @BotFather) it hears only commands meant for it, not the conversation.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Final, Literal

from bot.dev.emulator.chat import Chat, now
from bot.dev.emulator.formatting import FormattedText
from bot.dev.emulator.people import MAX_USER_TEXT, command_entities
from bot.dev.emulator.transcript import Event

if TYPE_CHECKING:
    from bot.dev.emulator.models import CallbackAnswer, ChatMessage, Mark, Reply
    from bot.dev.emulator.people import SimUser
    from bot.dev.emulator.telegram_side import TelegramSide

BotStatus = Literal["left", "member", "kicked"]
# Telegram gives supergroups ids of the form -100xxxxxxxxxx.
SUPERGROUP_IDS_BELOW: Final = -1_000_000_000_000


class SimGroup:
    """One group or supergroup; the bot is outside it until ``emulator.add_bot_to_group``."""

    def __init__(
        self, emulator: TelegramSide, chat_id: int, title: str, *, supergroup: bool
    ) -> None:
        if chat_id >= 0:
            raise ValueError("a group's chat id is negative")
        self._emulator = emulator
        self.id = chat_id
        self.title = title
        self.bot_status: BotStatus = "left"
        kind = "supergroup" if supergroup else "group"
        self.chat = Chat({"id": chat_id, "type": kind, "title": title})
        # Where the group stood at the latest message or tap the bot got, for wait_for_message.
        self.last_action: Mark | None = None

    def __repr__(self) -> str:
        return f"SimGroup({self.id}, {self.title!r})"

    @property
    def bot_is_member(self) -> bool:
        """Whether the bot is in the group now."""
        return self.bot_status == "member"

    # ----------------------------------------------------------------------- actions

    async def send_text(self, user: SimUser, text: str, *, settle: bool = True) -> ChatMessage:
        """``user`` writes in the group; the bot gets it only if Telegram would deliver it."""
        if not text.strip() or len(text) > MAX_USER_TEXT:
            raise ValueError("a Telegram message has 1-4096 characters")
        message = self.chat.add("user", "text", user.api_user())
        message.text = FormattedText(text, command_entities(text))
        emulator = self._emulator
        unheard = self._why_unheard(text)
        emulator.record(
            Event(
                "user_message",
                f"{user.first_name} in {self.title}",
                user.id,
                message.message_id,
                text=text,
                detail=unheard or "",
                chat_id=self.id,
            )
        )
        if unheard is None:
            at = time.monotonic()
            emulator.inject_update({"message": message.to_api()})
            self.last_action = self.chat.mark(at)
            if settle:
                await emulator.settle()
        return message.snapshot()

    async def tap(
        self, user: SimUser, message_id: int, callback_data: str, *, settle: bool = True
    ) -> str:
        """``user`` taps a button under the bot's message in the group; returns the query id."""
        at = time.monotonic()
        query_id = self._emulator.tap(user, message_id, callback_data, chat=self.chat)
        self.last_action = self.chat.mark(at)
        if settle:
            await self._emulator.settle()
        return query_id

    async def wait_for_message(
        self,
        *,
        buttons: bool = False,
        since: Mark | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - it shapes the error message
    ) -> Reply:
        """The bot's next message in the group after the latest delivered action (or ``since``)."""
        mark = since or self.last_action
        if mark is None:
            raise ValueError(f"nothing has reached the bot in {self.title} yet")
        return await self.chat.wait_for_message(mark, buttons=buttons, timeout=timeout)

    def _why_unheard(self, text: str) -> str | None:
        """Why the bot does not get this message, or None if it does."""
        if not self.bot_is_member:
            return "the bot is not in the group"
        if not self._emulator.group_privacy:
            return None
        entities = command_entities(text)
        if not entities:
            return "privacy mode: the bot gets only commands"
        _, _, addressee = text[: entities[0]["length"]].partition("@")
        if addressee and addressee.lower() != self._emulator.bot_username.lower():
            return f"privacy mode: the command is for @{addressee}"
        return None

    def membership_update(self, by: SimUser, status: BotStatus) -> dict[str, Any]:
        """The ``my_chat_member`` update Telegram sends when ``by`` changes the bot's status."""
        bot = self._emulator.bot_user
        update = {
            "chat": self.chat.chat,
            "from": by.api_user(),
            "date": now(),
            "old_chat_member": _member(self.bot_status, bot),
            "new_chat_member": _member(status, bot),
        }
        self.bot_status = status
        return {"my_chat_member": update}

    # ----------------------------------------------------------------------- reading

    @property
    def messages(self) -> list[ChatMessage]:
        """Every message of the group in order, deleted ones included (flagged)."""
        return [m.snapshot() for m in self.chat.messages.values()]

    def bot_messages(self) -> list[ChatMessage]:
        """The bot's messages in the group that are still there."""
        return [
            m.snapshot()
            for m in self.chat.messages.values()
            if m.sender == "bot" and not m.deleted
        ]

    def last_bot_message(self) -> ChatMessage:
        """The bot's newest message in the group; AssertionError if there is none."""
        shown = self.bot_messages()
        if not shown:
            raise AssertionError(f"the bot has sent nothing to the group {self.title}")
        return shown[-1]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """The bot's answers to taps on its messages in the group, in order."""
        return list(self.chat.callback_answers)


def _member(status: BotStatus, bot: dict[str, Any]) -> dict[str, Any]:
    if status == "kicked":
        return {"status": "kicked", "user": bot, "until_date": 0}
    return {"status": status, "user": bot}
