"""Small steps that e2e transcripts share."""

from bot.core.instrument import Instrument
from bot.core.sessions import Session
from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox


async def start_check_in(
    sandbox: Sandbox, user_id: int, name: str, label: str = "Avoin työhuone"
) -> tuple[SimUser, Session]:
    """A Finnish speaker opens a new session's link and starts: statement 1 is shown."""
    session = await sandbox.new_session(label)
    person = sandbox.emulator.user(user_id, name, language_code="fi")
    await person.open_link(sandbox.link(session))
    await person.tap_button("Aloitan")
    return person, session


async def answer_statements(person: SimUser, instrument: Instrument, values: list[int]) -> None:
    """Press the given option (1-5) for each statement in turn, checking each one is shown."""
    for value in values:
        shown = person.last_bot_message()
        assert shown.text is not None
        assert shown.keys[:5] == tuple((option,) for option in instrument.options), shown
        await person.press(instrument.options[value - 1])


DIGITS = {"ar": "٠١٢٣٤٥٦٧٨٩", "fa": "۰۱۲۳۴۵۶۷۸۹"}  # Arabic-Indic, Persian


def typed_digit(lang: str, value: int) -> str:
    """An answer typed as a phone's keyboard in that language writes it: in the language's own
    digits, and in a right-to-left script with the direction mark the phone puts before it."""
    if lang in DIGITS:
        return f"\u200f{DIGITS[lang][value]}"
    return str(value)


def texts_of(person: SimUser) -> list[str]:
    """Every text the person has seen from the bot, deleted ones included."""
    return [m.text or "" for m in person.messages if m.sender == "bot"]


def told_after_tap(person: SimUser) -> str:
    """What the bot said about the person's last tap: as a message, never only as a toast."""
    assert person.callback_answers[-1].text is None, person.callback_answers[-1]
    return person.last_bot_message().text or ""
