"""Facilitators and coordinators in their private chats (and /link in a group chat).

Staff see counts and group sessions only: no handler here reads or shows a participant's
identity, answers, score or the time they answered.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

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
from bot.usecases.services import Services
from bot.usecases.sessions import create_session

log = logging.getLogger(__name__)

INVITATION_DAYS = 7
INVITATION_PREFIX = "inv_"
FLOW_LIFETIME = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Staffer:
    """A staff member acting now."""

    user_id: int
    name: str
    coordinator: bool
    lang: str
    t: Translations


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
        coordinator = user.id in self.s.settings.coordinators
        if coordinator:
            await self.s.staff.ensure_member(user.id, user.first_name, self.s.clock())
        member = await self.s.staff.member(user.id)
        if member is None or (member.removed and not coordinator):
            await context.bot.send_message(user.id, staff_texts.for_staff_only(t))
            return None
        if rules and not member.rules_accepted:
            reply = staff_texts.rules(t, self.s.settings.min_group_size)
            await context.bot.send_message(user.id, reply.text, reply_markup=markup(reply))
            return None
        staffer = Staffer(user.id, member.name, coordinator, lang, t)
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
        commands = texts.participant_commands(staffer.t)[:1] + staff_texts.staff_commands(
            staffer.t, staffer.coordinator
        )
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
        if not staffer.coordinator:
            await self._reply(update, staff_texts.for_staff_only(staffer.t))
            return
        token = secrets.token_urlsafe(16)
        now = self.s.clock()
        await self.s.staff.add_invitation(
            token, staffer.user_id, now, now + timedelta(days=INVITATION_DAYS)
        )
        link = join_link(context.bot.username, INVITATION_PREFIX + token)
        await self._reply(update, staff_texts.invitation_link(staffer.t, link, INVITATION_DAYS))

    async def open_invitation(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start inv_<token>: check the invitation and ask for the name staff will see."""
        user = update.effective_user
        if user is None or not context.args:
            return
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        member = await self.s.staff.member(user.id)
        if (member is not None and not member.removed) or user.id in self.s.settings.coordinators:
            await self._reply(update, staff_texts.already_staff(t))
            return
        token = context.args[0].removeprefix(INVITATION_PREFIX)
        status = await self.s.staff.invitation(token, self.s.clock())
        if status is not Invitation.VALID:
            await self._reply(update, staff_texts.invitation_problem(t, status))
            return
        await self.s.staff.save_flow(user.id, staff_flow.naming(token, self.s.clock()))
        await self._reply(update, staff_texts.ask_name(t))

    # Typed steps

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Typed answers to a staff question; anything else goes on to the participant side."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        flow = await self.s.staff.flow(user.id)
        if flow is None or flow.step not in staff_flow.TEXT_STEPS:
            return
        if self.s.is_check_in_key(message.text) and await self.s.answering(user.id):
            # A press on the keyboard of a check-in they are answering themselves: it answers
            # the statement, and the question here still waits.
            return
        if self.s.clock() - flow.updated_at > FLOW_LIFETIME:
            await self.s.staff.end_flow(user.id)
            return
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        now = self.s.clock()
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
            limit = {
                Step.NAME: staff_flow.MAX_NAME,
                Step.ACTIVITY_NAME: staff_flow.MAX_ACTIVITY,
            }.get(flow.step, 100)
            await self._reply(update, staff_texts.bad_text(t, limit))
        raise ApplicationHandlerStop

    async def _accept(
        self, update: Update, user: User, flow: Flow, text: str, t: Translations
    ) -> None:
        name = staff_flow.clean_name(text)
        assert flow.token is not None
        status = await self.s.staff.accept_invitation(flow.token, user.id, name, self.s.clock())
        await self.s.staff.end_flow(user.id)
        if status is not Invitation.VALID:
            await self._reply(update, staff_texts.invitation_problem(t, status))
            return
        await self._reply(update, staff_texts.rules(t, self.s.settings.min_group_size))

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/cancel: forget an unfinished staff step."""
        user = update.effective_user
        if user is None:
            return
        flow = await self.s.staff.flow(user.id)
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        if flow is None:
            if await self.staffer(user, context, rules=False) is not None:
                await self._reply(update, staff_texts.cancelled(t))
            return
        await self.s.staff.end_flow(user.id)
        await self._reply(update, staff_texts.cancelled(t))

    # /new

    async def new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/new: a few questions, then the session with its link, code and QR code."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        flow = staff_flow.new_session(self.s.clock())
        await self.s.staff.save_flow(staffer.user_id, flow)
        activities = await self.s.staff.activities(staffer.user_id)
        await self._reply(update, staff_texts.ask_activity(staffer.t, flow.nonce, activities))

    async def _advance(self, message: Message, user: User, flow: Flow, t: Translations) -> None:
        """Store the flow and ask its next question, or create the session when ready."""
        if flow.step is Step.READY:
            await self.s.staff.end_flow(user.id)
            await self._create(message, user, flow, t)
            return
        await self.s.staff.save_flow(user.id, flow)
        if flow.step is Step.ACTIVITY_NAME:
            await self._say(message, staff_texts.ask_activity_name(t))
        elif flow.step is Step.LABEL:
            await self._say(message, staff_texts.ask_label(t))
        elif flow.step is Step.KIND:
            await self._say(message, staff_texts.ask_kind(t, flow.nonce))
        else:
            starts = (
                [
                    s
                    for s, _ in await self.s.staff.sessions(
                        user.id, kind="start", activity_id=flow.activity_id
                    )
                ]
                if flow.activity_id is not None
                else []
            )
            await self._say(message, staff_texts.ask_start(t, flow.nonce, starts))

    async def _create(self, message: Message, user: User, flow: Flow, t: Translations) -> None:
        assert flow.label is not None
        assert flow.kind is not None
        now = self.s.clock()
        hours = self.s.settings.session_hours
        session = await create_session(
            self.s.sessions,
            flow.label,
            now,
            owner_id=user.id,
            activity=flow.activity_id if flow.activity_id is not None else flow.activity_name,
            kind=flow.kind,
            start_session_id=flow.start_session_id,
            closes_at=now + timedelta(hours=hours) if hours else None,
        )
        bot = message.get_bot()
        link = join_link(bot.username, session.join_code)
        await bot.send_photo(user.id, qr_png(link), caption=staff_texts.qr_caption(t, session))
        await bot.send_message(user.id, staff_texts.created(t, session, link))
        await bot.send_message(
            user.id, staff_texts.invitation_to_answer(t, session, link, bot.username)
        )
        lang = await self.s.language_of(user.id, user.language_code)
        await self.board.post(session, user.id, lang)

    # Lists and counts

    async def sessions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sessions: own sessions with their counts; coordinators see everyone's."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        owner = None if staffer.coordinator else staffer.user_id
        listed = await self.s.staff.sessions(owner)
        await self._reply(update, staff_texts.session_list(staffer.t, listed, owner is None))

    async def count(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/count: the count messages of one's open sessions, sent again at the bottom."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        listed = await self.s.staff.sessions(staffer.user_id, open_only=True, limit=5)
        if not listed:
            await self._reply(update, staff_texts.nothing_open(staffer.t))
            return
        for session, _ in reversed(listed):
            await self.board.post(session, staffer.user_id, staffer.lang)

    # Closing

    async def close(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/close: choose a session, then confirm."""
        staffer = await self._gate(update, context)
        if staffer is None:
            return
        owner = None if staffer.coordinator else staffer.user_id
        listed = [s for s, _ in await self.s.staff.sessions(owner, open_only=True)]
        reply = (
            staff_texts.ask_close(staffer.t, listed)
            if listed
            else staff_texts.nothing_open(staffer.t)
        )
        await self._reply(update, reply)

    async def _may_close(self, staffer: Staffer, session_id: int) -> Session | None:
        session = await self.s.sessions.session_by_id(session_id)
        if session is None or session.closed:
            return None
        if not staffer.coordinator and session.owner_id != staffer.user_id:
            return None
        return session

    # Coordinators: facilitators

    async def facilitators(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/facilitators: list, with a way to remove one."""
        staffer = await self._gate(update, context, rules=False)
        if staffer is None:
            return
        if not staffer.coordinator:
            await self._reply(update, staff_texts.for_staff_only(staffer.t))
            return
        members = await self.s.staff.facilitators(self.s.settings.coordinators)
        await self._reply(update, staff_texts.facilitator_list(staffer.t, members))

    # /help and /link

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help for staff: the participant's help and the staff commands."""
        user = update.effective_user
        if user is None:
            return
        member = await self.s.staff.member(user.id)
        coordinator = user.id in self.s.settings.coordinators
        if not coordinator and (member is None or member.removed):
            return  # not staff: the participant's /help answers
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
        member = await self.s.staff.member(user.id)
        if member is None or member.removed or not member.rules_accepted:
            return  # in a group, say nothing to people who are not staff
        listed = await self.s.staff.sessions(user.id, open_only=True, limit=1)
        t = self.s.translations[await self.s.language_of(user.id, user.language_code)]
        if not listed:
            await self._reply(update, staff_texts.nothing_open(t))
            return
        session = listed[0][0]
        link = join_link(context.bot.username, session.join_code)
        await context.bot.send_message(
            chat.id, staff_texts.invitation_to_answer(t, session, link, context.bot.username)
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
                await self.s.staff.accept_rules(staffer.user_id, now)
                await ack(None)
                await self._retire(message)
                await self._menu(staffer, context)
                await message.reply_text(staff_texts.rules_accepted(t))
            case sc.Never():
                await ack(None)
                await self._retire(message, staff_texts.cancelled(t))
            case sc.AskClose(session_id) | sc.ConfirmClose(session_id):
                session = await self._may_close(staffer, session_id)
                if session is None:
                    await ack(texts.stale_button(t))
                    return
                await ack(None)
                if isinstance(data, sc.AskClose):
                    minutes = round(self.s.settings.close_grace_minutes)
                    reply = staff_texts.confirm_close(t, session, minutes)
                    await message.edit_text(reply.text, reply_markup=inline(reply))
                    return
                await self.s.sessions.close_session(session_id, now)
                await self._retire(message, staff_texts.closed(t, session))
                await self.board.refresh(session_id)
            case sc.AskRemove(telegram_id) | sc.ConfirmRemove(telegram_id):
                member = await self.s.staff.member(telegram_id)
                if not staffer.coordinator or member is None or member.removed:
                    await ack(texts.stale_button(t))
                    return
                await ack(None)
                if isinstance(data, sc.AskRemove):
                    reply = staff_texts.confirm_remove(t, member)
                    await message.edit_text(reply.text, reply_markup=inline(reply))
                    return
                await self.board.stop(await self.s.staff.remove(telegram_id, now))
                await self._retire(message, staff_texts.removed(t, member.name))
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
                    owned = {a.id for a in await self.s.staff.activities(staffer.user_id)}
                    if activity_id is not None and activity_id not in owned:
                        raise WrongStep("activity")
                    nxt = staff_flow.pick_activity(flow, activity_id, now)
                case sc.PickKind(_, kind):
                    nxt = staff_flow.pick_kind(flow, kind, now)
                case sc.PickStart(_, session_id):
                    if session_id is not None:
                        start = await self.s.sessions.session_by_id(session_id)
                        if (
                            start is None
                            or start.kind != "start"
                            or start.activity_id != flow.activity_id
                        ):
                            raise WrongStep("start")
                    nxt = staff_flow.pick_start(flow, session_id, now)
                case _:  # CancelFlow
                    await self.s.staff.end_flow(staffer.user_id)
                    await ack(None)
                    await self._retire(message, staff_texts.cancelled(t))
                    return
        except (WrongStep, BadLabel):
            await ack(texts.stale_button(t))
            return
        await ack(None)
        await self._retire(message)
        await self._advance(message, query.from_user, nxt, t)
