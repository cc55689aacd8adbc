"""Facilitators and coordinators in their private chats (and /link in a group chat).

Staff see counts and group sessions only: no handler here reads or shows a participant's
identity, answers, score or the time they answered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from babel.support import Translations
from telegram import BotCommand, BotCommandScopeChat, CallbackQuery, Message, Update, User
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.core import staff_flow
from bot.core.codes import join_link
from bot.core.sessions import BadLabel, Session
from bot.core.staff import Invitation
from bot.core.staff_flow import Flow, Step, WrongStep
from bot.tg.handlers.counts import CountBoard
from bot.tg.handlers.taps import Ack, answered_once
from bot.tg.keyboards import inline, markup
from bot.ui import buttons as sc
from bot.ui import staff_texts, texts
from bot.ui.qr import qr_png
from bot.usecases import sessions, staff
from bot.usecases.services import Services
from bot.usecases.staff import StaffRole

log = logging.getLogger(__name__)

INVITATION_PREFIX = "inv_"


@dataclass(frozen=True, slots=True)
class Staffer:
    """A staff member acting now, with the language they are answered in."""

    role: StaffRole
    lang: str
    t: Translations

    @property
    def user_id(self) -> int:
        """Their Telegram id."""
        return self.role.user_id

    @property
    def coordinator(self) -> bool:
        """Whether the settings name them a coordinator."""
        return self.role.coordinator


class StaffHandlers:
    """Handlers for staff commands, staff buttons and staff text steps."""

    def __init__(self, services: Callable[[], Services], board: CountBoard) -> None:
        self._services = services
        self.board = board
        self._menus: set[tuple[int, str, bool]] = set()

    @property
    def s(self) -> Services:
        """The running bot's services."""
        return self._services()

    # Who may do what

    async def staffer(
        self, user: User, context: ContextTypes.DEFAULT_TYPE, *, rules: bool = True
    ) -> Staffer | None:
        """The staff member, or None after telling them (or not) why not."""
        lang = await self.s.language_of(user.id, user.language_code)
        t = self.s.translations[lang]
        role = await staff.role(self.s, user.id, user.first_name, self.s.clock())
        if role is None:
            await context.bot.send_message(user.id, staff_texts.for_staff_only(t))
            return None
        if rules and not role.rules_accepted:
            reply = staff_texts.rules(t, self.s.settings.min_group_size)
            await context.bot.send_message(user.id, reply.text, reply_markup=markup(reply))
            return None
        staffer = Staffer(role, lang, t)
        await self._menu(staffer, context)
        return staffer

    async def _gate(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, *, rules: bool = True
    ) -> Staffer | None:
        user = update.effective_user
        return None if user is None else await self.staffer(user, context, rules=rules)

    async def _menu(self, staffer: Staffer, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Show this person the commands of their role, in their language (once a run)."""
        key = (staffer.user_id, staffer.lang, staffer.coordinator)
        if key in self._menus:
            return
        start = texts.participant_commands(staffer.t, staffer.lang)[:1]
        commands = start + staff_texts.staff_commands(staffer.t, staffer.coordinator)
        await context.bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            scope=BotCommandScopeChat(staffer.user_id),
        )
        self._menus.add(key)

    async def _reply(self, update: Update, reply: texts.Reply | str) -> None:
        if update.effective_message is not None:
            await self._say(update.effective_message, reply)

    @staticmethod
    async def _say(message: Message, reply: texts.Reply | str) -> None:
        """Answer in the chat of the given message."""
        if isinstance(reply, str):
            await message.reply_text(reply)
        else:
            await message.reply_text(reply.text, reply_markup=markup(reply))

    # Invitations

    async def invite(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/invite: a one-time link that makes its opener a facilitator."""
        staffer = await self._gate(update, context, rules=False)
        if staffer is None:
            return
        invitation = await staff.invite(self.s, staffer.role, self.s.clock())
        if invitation is None:
            await self._reply(update, staff_texts.for_staff_only(staffer.t))
            return
        link = join_link(context.bot.username, INVITATION_PREFIX + invitation.token)
        await self._reply(update, staff_texts.invitation_link(staffer.t, link, invitation.days))

    async def open_invitation(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start inv_<token>: check the invitation and ask for the name staff will see."""
        user = update.effective_user
        if user is None or not context.args:
            return
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        token = context.args[0].removeprefix(INVITATION_PREFIX)
        match await staff.open_invitation(self.s, user.id, token, self.s.clock()):
            case staff.AlreadyStaff():
                await self._reply(update, staff_texts.already_staff(t))
            case Invitation.VALID:
                await self._reply(update, staff_texts.ask_name(t))
            case problem:
                await self._reply(update, staff_texts.invitation_problem(t, problem))

    # Typed steps

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Typed answers to a staff question; anything else goes on to the participant side."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        now = self.s.clock()
        flow = await staff.question_waiting(self.s, user.id, message.text, now)
        if flow is None:
            return
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        try:
            if flow.step is Step.NAME:
                await self._accept(update, user, flow, message.text, t)
            elif flow.step is Step.ACTIVITY_NAME:
                await self._advance(
                    message, user, staff_flow.name_activity(flow, message.text, now), t
                )
            else:
                await self._advance(
                    message, user, staff_flow.set_label(flow, message.text, now), t
                )
        except BadLabel:
            await self._reply(update, staff_texts.bad_text(t, staff.text_limit(flow.step)))
        raise ApplicationHandlerStop

    async def _accept(
        self, update: Update, user: User, flow: Flow, text: str, t: Translations
    ) -> None:
        status = await staff.name_oneself(self.s, user.id, flow, text, self.s.clock())
        if status is not Invitation.VALID:
            await self._reply(update, staff_texts.invitation_problem(t, status))
            return
        await self._reply(update, staff_texts.rules(t, self.s.settings.min_group_size))

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/cancel: forget an unfinished staff step."""
        user = update.effective_user
        if user is None:
            return
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        if await staff.cancel(self.s, user.id) or (
            await self.staffer(user, context, rules=False) is not None
        ):
            await self._reply(update, staff_texts.cancelled(t))

    # /new

    async def new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/new: a few questions, then the session with its link, code and QR code."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        question = await sessions.begin_new_session(self.s, staffer.user_id, self.s.clock())
        await self._reply(
            update, staff_texts.ask_activity(staffer.t, question.flow.nonce, question.activities)
        )

    async def _advance(self, message: Message, user: User, flow: Flow, t: Translations) -> None:
        """Keep the flow and ask its next question, or show the session made after the last."""
        outcome = await sessions.answer_question(self.s, user.id, flow, self.s.clock())
        if isinstance(outcome, Session):
            await self._created(message, user, outcome, t)
            return
        flow = outcome.flow
        if flow.step is Step.ACTIVITY_NAME:
            await self._say(message, staff_texts.ask_activity_name(t))
        elif flow.step is Step.LABEL:
            await self._say(message, staff_texts.ask_label(t))
        elif flow.step is Step.KIND:
            await self._say(message, staff_texts.ask_kind(t, flow.nonce))
        elif flow.step is Step.START:
            await self._say(message, staff_texts.ask_start(t, flow.nonce, outcome.starts))
        else:
            await self._say(message, staff_texts.ask_language(t, flow.nonce, outcome.languages))

    async def _created(
        self, message: Message, user: User, session: Session, t: Translations
    ) -> None:
        bot = message.get_bot()
        link = join_link(bot.username, session.join_code)
        await bot.send_photo(user.id, qr_png(link), caption=staff_texts.qr_caption(t, session))
        await bot.send_message(user.id, staff_texts.created(t, session, link))
        # The message for the group is in the session's language: the people who read it
        # start their check-in in it.
        await bot.send_message(
            user.id,
            staff_texts.invitation_to_answer(
                self.s.words(session.lang), session, link, bot.username
            ),
        )
        lang = await self.s.language_of(user.id, user.language_code)
        await self.board.post(session, user.id, lang)

    # Lists and counts

    async def sessions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sessions: own sessions with their counts; coordinators see everyone's."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        listed = await sessions.list_sessions(self.s, staffer.role)
        await self._reply(update, staff_texts.session_list(staffer.t, listed, staffer.coordinator))

    async def count(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/count: the count messages of one's open sessions, sent again at the bottom."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        listed = await sessions.own_open_sessions(self.s, staffer.user_id, limit=5)
        if not listed:
            await self._reply(update, staff_texts.nothing_open(staffer.t))
            return
        for session in reversed(listed):
            await self.board.post(session, staffer.user_id, staffer.lang)

    async def poster(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/poster: an A4 poster of one's newest open session, as a PDF to print."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        listed = await sessions.own_open_sessions(self.s, staffer.user_id, limit=1)
        if not listed:
            await self._reply(update, staff_texts.nothing_open(staffer.t))
            return
        from bot.ui import poster  # noqa: PLC0415 - the PDF library only when a poster is asked for

        session = listed[0]
        pdf = poster.session_poster(self.s.translations, session, context.bot.username)
        await context.bot.send_document(
            staffer.user_id, pdf, filename=poster.file_name(session), caption=session.label
        )

    # Closing

    async def close(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/close: choose a session, then confirm."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        listed = [s for s, _ in await sessions.list_sessions(self.s, staffer.role, open_only=True)]
        reply = (
            staff_texts.ask_close(staffer.t, listed)
            if listed
            else staff_texts.nothing_open(staffer.t)
        )
        await self._reply(update, reply)

    # Coordinators: facilitators

    async def facilitators(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/facilitators: list, with a way to remove one."""
        staffer = await self._gate(update, context, rules=False)
        if staffer is None:
            return
        members = await staff.facilitators(self.s, staffer.role)
        if members is None:
            await self._reply(update, staff_texts.for_staff_only(staffer.t))
            return
        await self._reply(update, staff_texts.facilitator_list(staffer.t, members))

    # /help and /link

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help for staff: the participant's help and the staff commands."""
        user = update.effective_user
        if user is None:
            return
        if not await self.s.is_staff(user.id):
            return  # not staff: the participant's /help answers
        coordinator = user.id in self.s.settings.coordinators
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        await self._reply(
            update, texts.help_text(t) + "\n\n" + staff_texts.staff_help(t, coordinator)
        )
        raise ApplicationHandlerStop

    async def link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/link: in a group chat, post the join link of the facilitator's newest session.

        This is the only thing the bot ever posts in a group: the check-in itself happens in
        each person's private chat.
        """
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        if chat.type == "private":
            staffer = await self.staffer(user, context)
            if staffer is not None:
                await self._reply(update, staff_texts.link_in_group_only(staffer.t))
            return
        if not await staff.speaks_in_groups(self.s, user.id):
            return  # in a group, say nothing to people who are not staff
        listed = await sessions.own_open_sessions(self.s, user.id, limit=1)
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        if not listed:
            await self._reply(update, staff_texts.nothing_open(t))
            return
        session = listed[0]
        link = join_link(context.bot.username, session.join_code)
        await context.bot.send_message(
            chat.id,
            staff_texts.invitation_to_answer(
                self.s.words(session.lang), session, link, context.bot.username
            ),
        )

    # Buttons

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every staff button; each tap is answered exactly once."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        async with answered_once(query) as ack:
            staffer = await self.staffer(user, context, rules=False)
            data = sc.STAFF.parse(query.data)
            if staffer is not None and data is not None and isinstance(query.message, Message):
                await self._dispatch(query, query.message, staffer, data, context, ack)

    async def _retire(self, message: Message, text: str | None = None) -> None:
        try:
            if text is None:
                await message.edit_reply_markup(reply_markup=None)
            else:
                await message.edit_text(text, reply_markup=None)
        except BadRequest as err:
            log.warning("could not update a staff message: %s", err.message)

    async def _dispatch(
        self,
        query: CallbackQuery,
        message: Message,
        staffer: Staffer,
        data: sc.StaffCallback,
        context: ContextTypes.DEFAULT_TYPE,
        ack: Ack,
    ) -> None:
        t = staffer.t
        now = self.s.clock()
        match data:
            case sc.RulesAccepted():
                await staff.accept_rules(self.s, staffer.user_id, now)
                await ack(None)
                await self._retire(message)
                await self._menu(staffer, context)
                await message.reply_text(staff_texts.rules_accepted(t))
            case sc.Never():
                await ack(None)
                await self._retire(message, staff_texts.cancelled(t))
            case sc.AskClose(session_id):
                session = await sessions.closable(self.s, staffer.role, session_id)
                if session is None:
                    await ack(texts.stale_button(t))
                    return
                await ack(None)
                minutes = round(self.s.settings.close_grace_minutes)
                reply = staff_texts.confirm_close(t, session, minutes)
                await message.edit_text(reply.text, reply_markup=inline(reply))
            case sc.ConfirmClose(session_id):
                closed = await sessions.close_session(self.s, session_id, now, staffer.role)
                if closed.result is not sessions.Closing.CLOSED or closed.session is None:
                    await ack(texts.stale_button(t))
                    return
                await ack(None)
                await self._retire(message, staff_texts.closed(t, closed.session))
                await self.board.refresh(session_id)
            case sc.AskRemove(telegram_id):
                member = await staff.removable(self.s, staffer.role, telegram_id)
                if member is None:
                    await ack(texts.stale_button(t))
                    return
                await ack(None)
                reply = staff_texts.confirm_remove(t, member)
                await message.edit_text(reply.text, reply_markup=inline(reply))
            case sc.ConfirmRemove(telegram_id):
                removal = await staff.remove_facilitator(self.s, staffer.role, telegram_id, now)
                if removal is None:
                    await ack(texts.stale_button(t))
                    return
                await ack(None)
                await self.board.stop(removal.counted_sessions)
                await self._retire(message, staff_texts.removed(t, removal.member.name))
                await context.bot.delete_my_commands(scope=BotCommandScopeChat(telegram_id))
            case _:
                await self._flow_button(query, message, staffer, data, ack)

    async def _flow_button(
        self,
        query: CallbackQuery,
        message: Message,
        staffer: Staffer,
        data: sc.StaffCallback,
        ack: Ack,
    ) -> None:
        t = staffer.t
        flow = await self.s.staff.flow(staffer.user_id)
        if flow is None or getattr(data, "nonce", None) != flow.nonce:
            await ack(texts.stale_button(t))
            return
        now = self.s.clock()
        try:
            match data:
                case sc.PickActivity(_, activity_id):
                    nxt = await sessions.pick_activity(
                        self.s, staffer.user_id, flow, activity_id, now
                    )
                case sc.PickKind(_, kind):
                    nxt = staff_flow.pick_kind(flow, kind, now)
                case sc.PickStart(_, session_id):
                    nxt = await sessions.pick_start(self.s, flow, session_id, now)
                case sc.PickLanguage(_, lang):
                    nxt = sessions.pick_language(self.s, flow, lang, now)
                case _:  # CancelFlow
                    await self.s.staff.end_flow(staffer.user_id)
                    await ack(None)
                    await self._retire(message, staff_texts.cancelled(t))
                    return
        except WrongStep:
            await ack(texts.stale_button(t))
            return
        await ack(None)
        await self._retire(message)
        await self._advance(message, query.from_user, nxt, t)
