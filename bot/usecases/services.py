"""What the handlers need, built once at start-up and passed to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from babel.support import Translations

from bot.config import Settings
from bot.core.checkin import Stage, typed_form
from bot.core.instrument import Instrument
from bot.core.pseudonym import Pseudonyms
from bot.storage.answer_sets import AnswerSets
from bot.storage.blocks import BlockRepository
from bot.storage.drafts import Drafts
from bot.storage.people import People
from bot.storage.sessions import SessionRepository
from bot.storage.staff import StaffRepository
from bot.ui import texts
from bot.ui.i18n import interface_language, negotiate, picker_order
from bot.usecases.joining import CodeLookup
from bot.usecases.trials import TrialRuns

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, time-zone aware."""
    return datetime.now(UTC)


@dataclass(slots=True)
class Services:
    """Settings, storage, texts and the clock."""

    settings: Settings
    sessions: SessionRepository
    drafts: Drafts
    answer_sets: AnswerSets
    people: People
    staff: StaffRepository
    blocks: BlockRepository
    pseudonyms: Pseudonyms
    instruments: dict[str, Instrument]
    translations: dict[str, Translations]
    codes: CodeLookup
    clock: Clock = utc_now
    trials: TrialRuns = field(default_factory=TrialRuns)

    @property
    def draft_ttl(self) -> timedelta:
        """How long an unfinished check-in waits after its last answer."""
        return timedelta(hours=self.settings.draft_ttl_hours)

    @property
    def ttl_hours(self) -> int:
        """The same, in whole hours for the texts."""
        return round(self.settings.draft_ttl_hours)

    def today(self) -> date:
        """The local date that a complete set is stored with (no time of day)."""
        return self.clock().astimezone(self.settings.zone).date()

    def language(self, chosen: str | None, telegram_code: str | None) -> str:
        """The person's choice (any language with statements), else their Telegram language
        when offered, else Finnish."""
        return chosen if chosen in self.instruments else negotiate(telegram_code)

    @property
    def offered(self) -> tuple[str, ...]:
        """The languages in the picker: every language with statements."""
        return picker_order(self.instruments)

    def words(self, lang: str) -> Translations:
        """The bot's own messages for someone whose statements are in `lang`."""
        return self.translations[interface_language(lang)]

    def is_check_in_key(self, text: str) -> bool:
        """Whether the text is the label of a check-in keyboard button, in any language."""
        cleaned = typed_form(text)
        return any(
            cleaned == typed_form(option)
            for instrument in self.instruments.values()
            for option in instrument.options
        ) or any(texts.control(t, text) for t in self.translations.values())

    async def answering(self, user_id: int) -> bool:
        """Whether the person is being asked the statements of a check-in (or a trial) now."""
        key = self.pseudonyms.person(user_id)
        draft = await self.trials.draft_for(key) or await self.drafts.draft_for(key)
        return draft is not None and draft.stage is Stage.ASKING

    async def is_staff(self, user_id: int) -> bool:
        """Coordinators and facilitators (not removed ones): their own answers never count."""
        if user_id in self.settings.coordinators:
            return True
        member = await self.staff.member(user_id)
        return member is not None and not member.removed

    async def language_of(self, user_id: int, telegram_code: str | None) -> str:
        """The language someone chose with /language, else their Telegram one."""
        chosen = await self.people.language_for(self.pseudonyms.person(user_id))
        return interface_language(self.language(chosen, telegram_code))

    @property
    def close_grace(self) -> timedelta:
        """How long people already answering may finish after a session closes."""
        return timedelta(minutes=self.settings.close_grace_minutes)

    async def release(self, now: datetime) -> list[int]:
        """Release the blocks due at `now`; return their sessions."""
        return await self.blocks.release(
            now,
            zone=self.settings.zone,
            grace=self.close_grace,
            min_size=self.settings.min_group_size,
        )

    async def close(self) -> None:
        """Finish the saves under way, then close the database."""
        await self.drafts.flush()
        await self.drafts.store.close()
