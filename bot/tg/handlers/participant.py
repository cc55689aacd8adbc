"""The participant's private chat: joining, consent, the ten statements, review and sending.

Each handler parses the update, asks a use case (`bot.usecases.participants`, `consent`,
`answering`) what happens, which commits the result, and only then replies. Nothing here logs
or stores a Telegram id: people are known by keyed hashes only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from babel.support import Translations
from telegram import CallbackQuery, Message, Update, User
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.core.checkin import Draft, Rejected, Stage
from bot.core.codes import is_link_code, is_short_code
from bot.core.sessions import Session
from bot.tg.handlers.taps import Ack, answered_once
from bot.tg.keyboards import NO_KEYS, inline, markup
from bot.tg.pacing import Priority, sending
from bot.ui import buttons as cb
from bot.ui import texts, times
from bot.ui.i18n import interface_language
from bot.usecases import answering, consent, participants
from bot.usecases.answering import Sent
from bot.usecases.consent import Consent, GoingOn, NotOffered, Offer, Started, UnfinishedElsewhere
from bot.usecases.joining import Refusal
from bot.usecases.participants import Participant
from bot.usecases.services import Services

log = logging.getLogger(__name__)

PROMPT_ENDPOINT = "send_message"
# python-telegram-bot warns that it has a method for this endpoint; that method is the one
# `_prompt` means to skip (see there). `bot.tg.app` silences exactly this warning.
PROMPT_ENDPOINT_WARNING = r"Please use 'Bot\.send_message' instead of 'Bot\.do_api_request"
TIDY_LIMIT = 300
TIDY_BATCH = 100


class ParticipantHandlers:
    """Handlers for people answering a check-in in a private chat."""

    def __init__(self, services: Callable[[], Services], on_change: Callable[[int], None]) -> None:
        self._services = services
        self._changed = on_change

    @property
    def s(self) -> Services:
        """The running bot's services."""
        return self._services()

    # Who, in which language, with which draft

    async def _person(self, user: User) -> Participant:
        person = await participants.identify(self.s, user.id, user.language_code)
        self._counted(person.touched)
        return person

    def _counted(self, session_id: int | None) -> None:
        """The session's count may have changed (None: no session's did)."""
        if session_id is not None:
            self._changed(session_id)

    def _t(self, person: Participant) -> Translations:
        return self.s.words(person.lang)

    def _when(self, t: Translations, lang: str, at: datetime) -> str:
        """A moment in words, in the bot's time zone: "tomorrow at 14.30"."""
        return times.when(t, interface_language(lang), at, self.s.clock(), self.s.settings.zone)

    def _paused(self, t: Translations, draft: Draft) -> texts.Reply:
        """On hold, with the moment until which the person may go on."""
        until = self._when(t, draft.lang, draft.keep_until(self.s.draft_ttl))
        return texts.paused(t, draft, until)

    # Sending

    async def _retire(
        self,
        chat_id: int,
        message_id: int | None,
        context: ContextTypes.DEFAULT_TYPE,
        text: str | None = None,
    ) -> None:
        """Take the live buttons off a message, optionally replacing its text."""
        if message_id is None:
            return
        try:
            if text is None:
                await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
            else:
                await context.bot.edit_message_text(text, chat_id, message_id, reply_markup=None)
        except BadRequest as err:
            # The person may have deleted the message; nothing to take back then.
            log.warning("could not update an earlier message: %s", err.message)

    async def _retire_prompt(
        self, chat_id: int, draft: Draft, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        """Take the buttons off the draft's prompt if it has inline ones.

        While statements are asked the prompt carries a reply keyboard, which the next
        message replaces; only the review and what follows it carry inline buttons.
        """
        if draft.stage is Stage.REVIEW:
            await self._retire(chat_id, draft.prompt_message_id, context)

    @staticmethod
    async def _send(
        chat_id: int, reply: texts.Reply, context: ContextTypes.DEFAULT_TYPE
    ) -> Message:
        return await context.bot.send_message(chat_id, reply.text, reply_markup=markup(reply))

    async def _prompt(
        self,
        chat_id: int,
        person: Participant,
        reply: texts.Reply,
        context: ContextTypes.DEFAULT_TYPE,
    ) -> None:
        """Send a message whose buttons are the live ones now, and remember it.

        A prompt goes out for every answer, and only its message id is needed. Sent through
        `do_api_request`, Telegram's answer comes back as it came, so python-telegram-bot does
        not build a Message object from it: about a tenth of the bot's CPU per answer.
        """
        params: dict[str, object] = {"chat_id": chat_id, "text": reply.text}
        if (keys := markup(reply)) is not None:
            params["reply_markup"] = keys
        sent = await context.bot.do_api_request(PROMPT_ENDPOINT, api_kwargs=params)
        person.shown(int(sent["message_id"]))

    async def _show_step(
        self, chat_id: int, person: Participant, draft: Draft, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        """Send the current statement or the review, and remember it as the live prompt."""
        t = self.s.words(draft.lang)
        instrument = self.s.instruments[draft.lang]
        if draft.stage is Stage.ASKING:
            await self._prompt(chat_id, person, texts.statement(t, instrument, draft), context)
            return
        with sending(Priority.REVIEW):
            await self._send(chat_id, texts.review_answers(t, instrument, draft), context)
            await self._prompt(chat_id, person, texts.review(t, instrument, draft), context)

    # Commands

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, with or without a join code from a link."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        person = await self._person(user)
        t = self._t(person)
        if person.expired:
            await message.reply_text(texts.expired(t), reply_markup=NO_KEYS)
        if context.args:
            await self._join(message, person, context.args[0], context)
        elif person.draft is not None:
            await self._continue(message.chat_id, person, person.draft, context)
        else:
            reply = texts.welcome(t, self.s.offered)
            await message.reply_text(reply.text, reply_markup=markup(reply))

    async def _join(
        self, message: Message, person: Participant, code: str, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        """A code from a link or typed: offer its check-in, or say why not."""
        found = await consent.look_up(self.s, person, code)
        await self._offer(message, person, await consent.offer(self.s, person, found), context)

    async def _offer(
        self,
        message: Message,
        person: Participant,
        offer: Offer,
        context: ContextTypes.DEFAULT_TYPE,
    ) -> None:
        t = self._t(person)
        match offer:
            case Refusal():
                wait = self.s.codes.limits.wait(offer)
                retry = self._when(t, person.lang, times.later(self.s.clock(), wait))
                await message.reply_text(texts.refused_code(t, offer is Refusal.EVERYONE, retry))
            case GoingOn(draft):
                await self._continue(message.chat_id, person, draft, context)
            case UnfinishedElsewhere(label, draft):
                reply = texts.unfinished_elsewhere(t, label, draft)
                await self._retire_prompt(message.chat_id, draft, context)
                await self._prompt(message.chat_id, person, reply, context)
            case NotOffered.UNKNOWN_CODE:
                await message.reply_text(texts.unknown_code(t))
            case NotOffered.CLOSED:
                await message.reply_text(texts.closed_session(t))
            case NotOffered.ALREADY_ANSWERED:
                await message.reply_text(texts.already_answered(t))
            case Consent():
                # In the session's language, whatever the person's app is in.
                reply = self._consent(offer)
                await message.reply_text(reply.text, reply_markup=markup(reply))
                await self._words_elsewhere(message.chat_id, offer.lang, context)

    def _consent(self, offer: Consent) -> texts.Reply:
        """The consent in its language, which tells staff that theirs is a trial run."""
        session = offer.session
        return texts.consent(
            self.s.words(offer.lang),
            session.label,
            session.join_code,
            offer.lang,
            self.s.offered,
            trial=offer.trial,
        )

    async def _words_elsewhere(
        self, chat_id: int, lang: str, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        """For statements in a language without messages of the bot's own: say which language
        each is in."""
        if lang != interface_language(lang):
            await context.bot.send_message(chat_id, texts.language_set(self.s.words(lang), lang))

    async def _continue(
        self, chat_id: int, person: Participant, draft: Draft, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        if draft.prompt_message_id is not None:
            # Forget the old prompt first: if sending the step fails, the next /continue
            # does not edit a message whose buttons are already gone.
            person.shown(None)
            await self._retire_prompt(chat_id, draft, context)
        await self._show_step(chat_id, person, draft, context)

    async def resume_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/continue: show the current statement again."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        person = await self._person(user)
        if person.draft is None:
            t = self._t(person)
            await message.reply_text(
                texts.expired(t) if person.expired else texts.nothing_to_continue(t),
                reply_markup=NO_KEYS,
            )
            return
        await self._continue(message.chat_id, person, person.draft, context)

    async def stop(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/stop: end the check-in and delete the partial answers."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        person = await self._person(user)
        t = self._t(person)
        ended = await participants.stop(person)
        if ended is None:
            await message.reply_text(texts.nothing_to_stop(t))
            return
        self._counted(ended.touched)
        await self._retire_prompt(message.chat_id, ended.draft, context)
        await message.reply_text(texts.stopped(t), reply_markup=NO_KEYS)

    async def language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/language: the picker."""
        await self._reply_with(update, lambda p: texts.choose_language(self._t(p), self.s.offered))

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help."""
        await self._reply_with(update, lambda p: texts.Reply(texts.help_text(self._t(p))))

    async def privacy(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/privacy."""
        await self._reply_with(
            update,
            lambda p: texts.Reply(
                texts.privacy_text(self._t(p), self.s.ttl_hours, self.s.settings.min_group_size)
            ),
        )

    async def about(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/about: whose statements these are."""
        await self._reply_with(
            update,
            lambda p: texts.Reply(texts.about_text(self._t(p), self.s.instruments[p.lang])),
        )

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command this bot does not have."""
        await self._reply_with(update, lambda p: texts.Reply(texts.unknown_command(self._t(p))))

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice, files: the bot reads text and buttons only."""
        await self._reply_with(update, lambda p: texts.Reply(texts.only_text(self._t(p))))

    async def _reply_with(
        self, update: Update, render: Callable[[Participant], texts.Reply]
    ) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        reply = render(await self._person(user))
        await message.reply_text(reply.text, reply_markup=markup(reply))

    async def delete(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/delete: remove whatever can still be linked to the person."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        person = await self._person(user)
        forgotten = await participants.forget(self.s, person)
        if forgotten.ended is not None:
            self._counted(forgotten.ended.touched)
            await self._retire_prompt(message.chat_id, forgotten.ended.draft, context)
        reply = texts.deleted(self._t(person), forgotten.removed)
        await message.reply_text(reply, reply_markup=NO_KEYS)

    # Free text: a typed answer, a typed code, or something else

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Typed text: a keyboard tap or typed answer while answering, a join code otherwise."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        person = await self._person(user)
        t = self._t(person)
        draft = person.draft
        if draft is None:
            code = "".join(message.text.split())
            if is_link_code(code) or is_short_code(code):
                await self._join(message, person, code, context)
            elif person.expired:
                await message.reply_text(texts.expired(t), reply_markup=NO_KEYS)
            elif self.s.is_check_in_key(message.text):
                # A keyboard left from a check-in that has ended (closed, stopped elsewhere).
                await message.reply_text(texts.stale_button(t), reply_markup=NO_KEYS)
            else:
                await message.reply_text(texts.not_understood(t))
            return
        if draft.prompt_message_id is None:
            # The current step never reached the person (a failed send, or a restart before
            # it went out): show it, rather than take these words as its answer.
            await self._continue(message.chat_id, person, draft, context)
            return
        if message.message_id < draft.prompt_message_id:
            # Written before the current step was shown: a double tap on the keyboard, or an
            # update handed out again. The statement it answered has its answer.
            return
        if draft.stage is Stage.REVIEW:
            await message.reply_text(texts.use_review_buttons(t))
            return
        with sending(Priority.STATEMENT):
            await self._asking(message, person, draft, context)

    async def _asking(
        self,
        message: Message,
        person: Participant,
        draft: Draft,
        context: ContextTypes.DEFAULT_TYPE,
    ) -> None:
        """A keyboard tap or typed words while a statement is asked."""
        assert message.text is not None
        t = self.s.words(draft.lang)
        chat_id = message.chat_id
        match texts.control(t, message.text):
            case texts.Control.CONTINUE:
                await self._continue(chat_id, person, draft, context)
                return
            case texts.Control.PAUSE:
                await self._prompt(chat_id, person, self._paused(t, draft), context)
                return
            case texts.Control.BACK:
                result = answering.back(self.s, draft)
            case None:
                result = answering.answer(self.s, draft, message.text)
        if isinstance(result, Rejected):
            # Not the live prompt: an answer tapped on the earlier keyboard still counts.
            again = texts.statement_again(t, self.s.instruments[draft.lang], draft)
            await self._send(chat_id, again, context)
            return
        await self._move(chat_id, person, result, context)

    async def _move(
        self, chat_id: int, person: Participant, draft: Draft, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        """Commit a step of the check-in, then show where it leads.

        Until the next prompt is sent, no message is the live prompt, so a failed send
        followed by /continue edits nothing twice.
        """
        draft = await answering.save_step(self.s, person, draft)
        await self._show_step(chat_id, person, draft, context)

    # Buttons

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every inline button; each tap is answered exactly once."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        async with answered_once(query) as ack:
            await self._dispatch(query, user, context, ack)

    async def _dispatch(
        self,
        query: CallbackQuery,
        user: User,
        context: ContextTypes.DEFAULT_TYPE,
        ack: Ack,
    ) -> None:
        person = await self._person(user)
        t = self._t(person)
        data = cb.PARTICIPANT.parse(query.data)
        message = query.message
        if data is None or not isinstance(message, Message) or message.reply_markup is None:
            # Real taps come from messages with buttons: anything else is stale or forged.
            await ack(texts.stale_button(t))
            return
        chat_id = message.chat_id
        draft = person.draft
        match data:
            case cb.Join(code, lang):
                await ack(None)
                await self._consent_given(message, person, code, lang, context)
            case cb.Details(code, lang):
                await ack(None)
                words = t if lang is None else self.s.words(lang)
                reply = texts.consent_details(
                    words, self.s.ttl_hours, self.s.settings.min_group_size, code, lang
                )
                await self._send(chat_id, reply, context)
            case cb.Decline():
                await ack(None)
                await self._retire(chat_id, message.message_id, context, texts.declined(t))
            case cb.Language(lang, code):
                await self._switch_language(message, person, lang, code, context, ack)
            case cb.Tidy(first):
                await ack(None)
                await self._tidy(chat_id, first, message.message_id, person, context)
            case cb.KeepChat():
                await ack(None)
                await self._retire(chat_id, message.message_id, context, texts.kept(t))
            case _ if draft is None or getattr(data, "nonce", None) != draft.nonce:
                await ack(texts.expired(t) if person.expired else texts.stale_button(t))
            case _:
                assert draft is not None
                with sending(Priority.STATEMENT):
                    await self._draft_button(data, message, person, draft, context, ack)

    async def _draft_button(
        self,
        data: cb.Callback,
        message: Message,
        person: Participant,
        draft: Draft,
        context: ContextTypes.DEFAULT_TYPE,
        ack: Ack,
    ) -> None:
        t = self.s.words(draft.lang)
        chat_id = message.chat_id
        if message.message_id != draft.prompt_message_id:
            await ack(texts.stale_button(t))
            return
        match data:
            case cb.Back():
                result = answering.back(self.s, draft)
            case cb.Change(_, item):
                result = answering.change(self.s, draft, item)
            case cb.Send():
                with sending(Priority.REVIEW):
                    await self._send_set(message, person, draft, context, ack)
                return
            case cb.Pause():
                await ack(None)
                await self._retire(chat_id, message.message_id, context)
                await self._prompt(chat_id, person, self._paused(t, draft), context)
                return
            case cb.Resume():
                await ack(None)
                await self._continue(chat_id, person, draft, context)
                return
            case _:
                result = Rejected.NOT_CURRENT
        if isinstance(result, Rejected):
            await ack(texts.stale_button(t))
            return
        await ack(None)
        await self._retire(chat_id, message.message_id, context)
        await self._move(chat_id, person, result, context)

    async def _consent_given(
        self,
        message: Message,
        person: Participant,
        code: str,
        lang: str | None,
        context: ContextTypes.DEFAULT_TYPE,
    ) -> None:
        given = await consent.give_consent(self.s, person, code, message.message_id, lang)
        if given is None:
            return  # A second tap on Start: the check-in is already going.
        if not isinstance(given, Started):
            # Everything was checked again: the session may have closed since the consent
            # was shown.
            await self._retire(message.chat_id, message.message_id, context)
            await self._offer(message, person, given, context)
            return
        self._counted(given.touched)
        await self._retire(message.chat_id, message.message_id, context)
        await context.bot.send_message(
            message.chat_id, texts.introduction(self.s.instruments[given.draft.lang])
        )
        await self._show_step(message.chat_id, person, given.draft, context)

    async def _switch_language(
        self,
        message: Message,
        person: Participant,
        lang: str,
        code: str | None,
        context: ContextTypes.DEFAULT_TYPE,
        ack: Ack,
    ) -> None:
        if lang not in self.s.instruments:  # a button from before a language was removed
            await ack(texts.stale_button(self._t(person)))
            return
        await participants.choose_language(self.s, person, lang)
        t = self.s.words(lang)
        draft = person.draft
        await ack(None)
        found = await consent.look_up(self.s, person, code) if code and draft is None else None
        if isinstance(found, Session):
            reply = self._consent(await consent.consent_for(self.s, person, found, lang))
            keys = inline(reply)
            if (message.text, message.reply_markup) != (reply.text, keys):
                await message.edit_text(reply.text, reply_markup=keys)
            await self._words_elsewhere(message.chat_id, lang, context)
            return
        await self._retire(
            message.chat_id, message.message_id, context, texts.language_set(t, lang)
        )
        if draft is not None:
            await self._continue(message.chat_id, person, draft, context)
        else:
            reply = texts.welcome(t, self.s.offered)
            await context.bot.send_message(message.chat_id, reply.text, reply_markup=markup(reply))

    async def _send_set(
        self,
        message: Message,
        person: Participant,
        draft: Draft,
        context: ContextTypes.DEFAULT_TYPE,
        ack: Ack,
    ) -> None:
        t = self.s.words(draft.lang)
        sent = await answering.send(self.s, person, draft)
        match sent.outcome:
            case Sent.NOT_READY:
                await ack(texts.stale_button(t))
                return
            case Sent.TRIAL_OVER:
                done = texts.trial_over(t)
            case Sent.CLOSED:
                done = texts.closed_session(t)
            case Sent.ALREADY_ANSWERED:
                done = texts.already_answered(t)
            case Sent.STORED:
                done = texts.reviewed(t)
        self._counted(sent.touched)
        await ack(None)
        await self._retire(message.chat_id, message.message_id, context, done)
        if sent.outcome is Sent.STORED:
            reply = texts.thanks(t, draft.first_message_id)
            await context.bot.send_message(message.chat_id, reply.text, reply_markup=markup(reply))

    async def _tidy(
        self,
        chat_id: int,
        first: int,
        last: int,
        person: Participant,
        context: ContextTypes.DEFAULT_TYPE,
    ) -> None:
        ids = list(range(max(first, last - TIDY_LIMIT + 1), last + 1))
        try:
            for start in range(0, len(ids), TIDY_BATCH):
                await context.bot.delete_messages(chat_id, ids[start : start + TIDY_BATCH])
        except (BadRequest, Forbidden) as err:
            log.warning("could not tidy the chat: %s", err.message)
        await context.bot.send_message(chat_id, texts.tidied(self._t(person)))
