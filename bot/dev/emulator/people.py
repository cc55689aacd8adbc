"""Simulated people: they write to the bot, open links, tap buttons, and read their chat.

Each action injects the update Telegram would send and, by default, waits until the bot has
settled, so a test reads like a conversation: ``await aino.send_text("/start")`` and then
look at ``aino.last_bot_message()``.

Many people acting at once (a load run) must not wait for the whole emulator to go quiet:
each acts with ``settle=False`` and then waits for the reply in their own chat only, as a
phone would::

    await aino.tap_button("Aloitan", settle=False)
    reply = await aino.wait_for_message(buttons=True)  # the next statement, and its latency
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any, Final

from bot.dev.emulator.chat import Chat
from bot.dev.emulator.formatting import FormattedText
from bot.dev.emulator.limits import check_deep_link, parse_deep_link
from bot.dev.emulator.media import tiny_png
from bot.dev.emulator.transcript import Event

if TYPE_CHECKING:
    from bot.dev.emulator.chat import StoredMessage
    from bot.dev.emulator.models import Button, CallbackAnswer, ChatMessage, Mark, Reply
    from bot.dev.emulator.telegram_side import TelegramSide

_COMMAND_RE: Final = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
MAX_USER_TEXT: Final = 4096


def command_entities(text: str) -> tuple[dict[str, Any], ...]:
    """The ``bot_command`` entity Telegram attaches to a text that starts with a command."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return ()
    return ({"type": "bot_command", "offset": 0, "length": match.end()},)


class SimUser:
    """One simulated person in a private chat with the bot (chat id = user id)."""

    def __init__(
        self,
        emulator: TelegramSide,
        user_id: int,
        first_name: str,
        *,
        language_code: str | None = None,
        username: str | None = None,
    ) -> None:
        self._emulator = emulator
        self.id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username
        self.blocked = False
        self.started = False
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if username:
            chat["username"] = username
        self.chat = Chat(chat)
        # Where the private chat stood at this person's latest action, for wait_for_*.
        self.last_action: Mark | None = None
        # Every reply waited for with wait_for_message / wait_for_reply, for latency figures.
        self.replies: list[Reply] = []

    def __repr__(self) -> str:
        return f"SimUser({self.id}, {self.first_name!r})"

    def api_user(self) -> dict[str, Any]:
        """The User object Telegram sends for this person."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    # ----------------------------------------------------------------------- actions

    async def send_text(self, text: str, *, settle: bool = True) -> ChatMessage:
        """Write a message; a leading ``/command`` gets its ``bot_command`` entity."""
        if not text.strip() or len(text) > MAX_USER_TEXT:
            raise ValueError("a Telegram message has 1-4096 characters")
        message = self._new_message("text")
        message.text = FormattedText(text, command_entities(text))
        return await self._send(message, text, settle)

    async def send_sticker(self, emoji: str = "👍", *, settle: bool = True) -> ChatMessage:
        """Send a regular static sticker."""
        message = self._new_message("sticker")
        record = self._emulator.files.add(tiny_png(), "sticker", "webp")
        message.media["sticker"] = {
            **record.ids(),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "EmulatorStickers",
            "file_size": len(record.data),
        }
        return await self._send(message, f"[sticker {emoji}]", settle)

    async def send_photo(
        self, data: bytes | None = None, *, caption: str | None = None, settle: bool = True
    ) -> ChatMessage:
        """Send a photo (a tiny PNG unless ``data`` is given), optionally with a caption."""
        photo = tiny_png() if data is None else data
        message = self._new_message("photo")
        record = self._emulator.files.add(photo, "photo", "png")
        message.media["photo"] = [record.photo_size()]
        message.photo_bytes = photo
        if caption:
            message.caption = FormattedText(caption)
        shown = "[photo]" + (f" {caption}" if caption else "")
        return await self._send(message, shown, settle)

    async def send_voice(self, duration: int = 2, *, settle: bool = True) -> ChatMessage:
        """Send a voice message of ``duration`` seconds."""
        message = self._new_message("voice")
        record = self._emulator.files.add(b"OggS" + bytes(60), "voice", "oga")
        message.media["voice"] = {
            **record.ids(),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(record.data),
        }
        return await self._send(message, f"[voice {duration} s]", settle)

    async def open_link(self, url: str, *, settle: bool = True) -> ChatMessage | None:
        """Open a ``t.me/<bot>?start=<payload>`` link: Telegram sends ``/start <payload>``.

        A bad payload is a violation; the app then sends a bare ``/start`` as Telegram's apps
        do.  A link to another bot is a violation and sends nothing to this bot.
        """
        emulator = self._emulator
        link = parse_deep_link(url)
        if link is None:
            raise ValueError(f"{url!r} is not a t.me/<bot>?start=<payload> link")
        emulator.record(Event("open_link", self.first_name, self.id, detail=url))
        reasons = check_deep_link(link, emulator.bot_username)
        for reason in reasons:
            emulator.add_violation("deep link", reason)
        if link.bot.lower() != emulator.bot_username.lower():
            return None
        bad_payload = any("payload" in r for r in reasons)
        text = "/start" if bad_payload else f"/start {link.payload}"
        return await self.send_text(text, settle=settle)

    async def tap(self, message_id: int, callback_data: str, *, settle: bool = True) -> str:
        """Tap a button with ``callback_data`` on message ``message_id``; returns the query id.

        The data need not be on any button: a test can forge or replay stale data this way.
        """
        at = time.monotonic()
        query_id = self._emulator.tap(self, message_id, callback_data)
        self.last_action = self.chat.mark(at)
        if settle:
            await self._emulator.settle()
        return query_id

    async def tap_button(
        self,
        text: str,
        message: int | ChatMessage | None = None,
        *,
        settle: bool = True,
    ) -> str:
        """Tap the button whose label is ``text`` (or contains it), newest message first.

        Returns the callback query id; a link button to this bot's start link is opened as a
        link instead (and "" returned).  Raises AssertionError listing the visible buttons when
        no button matches.
        """
        found = self._find_button(text, message)
        message_id, button = found
        if button.callback_data is not None:
            return await self.tap(message_id, button.callback_data, settle=settle)
        if button.url is not None and parse_deep_link(button.url) is not None:
            await self.open_link(button.url, settle=settle)
            return ""
        raise AssertionError(f"button [ {button.text} ] opens {button.url}, not the bot")

    async def press(self, text: str, *, settle: bool = True) -> ChatMessage:
        """Press the reply keyboard button labelled ``text``: its label is sent as a message.

        Raises AssertionError listing the keyboard when no button has that label.
        """
        keyboard = self.chat.reply_keyboard or ()
        if not any(text == label for row in keyboard for label in row):
            shown = " ".join(f"[ {label} ]" for row in keyboard for label in row)
            raise AssertionError(
                f"{self.first_name} has no keyboard button {text!r}. Keyboard: {shown or 'none'}"
            )
        return await self.send_text(text, settle=settle)

    def block(self) -> None:
        """Block the bot: it gets 403 Forbidden when sending to this person."""
        self.blocked = True

    def unblock(self) -> None:
        """Unblock the bot."""
        self.blocked = False

    # ----------------------------------------------------------------------- waiting for a reply

    async def wait_for_message(
        self,
        *,
        buttons: bool = False,
        since: Mark | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - it shapes the error message
    ) -> Reply:
        """Wait for the bot's next message in this chat after the latest action (or ``since``).

        With ``buttons`` only a message with an inline or a reply keyboard counts: the next
        statement, not the line before it.  Raises ReplyTimeoutError if it does not come in time.
        """
        reply = await self.chat.wait_for_message(
            self._since(since), buttons=buttons, timeout=timeout
        )
        self.replies.append(reply)
        return reply

    async def wait_for_reply(
        self,
        *,
        since: Mark | None = None,
        quiet: float = 0.005,
        timeout: float = 5.0,  # noqa: ASYNC109 - it shapes the error message
    ) -> Reply:
        """Wait until the bot has acted in this chat after the latest action, then gone quiet.

        Any send, edit, deletion or answer to this person's tap counts; the reply is complete
        once nothing more happened in this chat for ``quiet`` seconds (other chats may be busy).
        """
        reply = await self.chat.wait_for_quiet(self._since(since), quiet=quiet, timeout=timeout)
        self.replies.append(reply)
        return reply

    def mark(self) -> Mark:
        """Where the chat stands now, to wait for what the bot does after it."""
        return self.chat.mark()

    def _since(self, since: Mark | None) -> Mark:
        if since is not None:
            return since
        if self.last_action is None:
            raise ValueError(f"{self.first_name} has not done anything to wait for a reply to")
        return self.last_action

    # ----------------------------------------------------------------------- reading

    @property
    def messages(self) -> list[ChatMessage]:
        """Every message of the chat in order, deleted ones included (flagged)."""
        return [m.snapshot() for m in self.chat.messages.values()]

    def visible_messages(self) -> list[ChatMessage]:
        """The messages the person can still see."""
        return [m.snapshot() for m in self.chat.messages.values() if not m.deleted]

    def bot_messages(self) -> list[ChatMessage]:
        """The bot's messages the person can still see."""
        return [m for m in self.visible_messages() if m.sender == "bot"]

    def last_bot_message(self) -> ChatMessage:
        """The newest visible message from the bot; AssertionError if there is none."""
        shown = self.bot_messages()
        if not shown:
            raise AssertionError(f"the bot has sent {self.first_name} no visible message")
        return shown[-1]

    def live_keyboards(self) -> dict[int, tuple[tuple[Button, ...], ...]]:
        """Inline keyboards still shown, by message id, oldest message first."""
        return {
            m.message_id: m.buttons
            for m in self.visible_messages()
            if m.sender == "bot" and m.buttons
        }

    def live_buttons(self) -> list[Button]:
        """All buttons still shown under the bot's messages, oldest message first."""
        return [b for rows in self.live_keyboards().values() for row in rows for b in row]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """The bot's answers to this person's taps, in order."""
        return list(self.chat.callback_answers)

    @property
    def reply_keyboard(self) -> tuple[tuple[str, ...], ...] | None:
        """The reply keyboard the bot set, if any, as rows of labels."""
        return self.chat.reply_keyboard

    # ----------------------------------------------------------------------- internals

    def _new_message(self, kind: str) -> StoredMessage:
        return self.chat.add("user", kind, self.api_user())

    async def _send(self, message: StoredMessage, shown: str, settle: bool) -> ChatMessage:
        self.started = True
        emulator = self._emulator
        emulator.record(
            Event("user_message", self.first_name, self.id, message.message_id, text=shown)
        )
        at = time.monotonic()
        emulator.inject_update({"message": message.to_api()})
        self.last_action = self.chat.mark(at)
        if settle:
            await emulator.settle()
        return message.snapshot()

    def _find_button(self, text: str, message: int | ChatMessage | None) -> tuple[int, Button]:
        keyboards = self.live_keyboards()
        if message is not None:
            wanted = message if isinstance(message, int) else message.message_id
            keyboards = {k: v for k, v in keyboards.items() if k == wanted}
        newest_first = sorted(keyboards.items(), reverse=True)
        for matches in (
            lambda b: b.text == text,
            lambda b: text.casefold() in b.text.casefold(),
        ):
            for message_id, rows in newest_first:
                for row in rows:
                    for button in row:
                        if matches(button):
                            return message_id, button
        visible = "; ".join(
            f"message {mid}: " + " ".join(f"[ {b.text} ]" for row in rows for b in row)
            for mid, rows in sorted(keyboards.items())
        )
        raise AssertionError(
            f"{self.first_name} sees no button matching {text!r}. "
            f"Visible buttons: {visible or 'none'}"
        )
