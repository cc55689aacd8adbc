"""Small steps that e2e transcripts share."""

from bot.emulator import SimUser
from bot.instrument import Instrument


async def answer_statements(person: SimUser, instrument: Instrument, values: list[int]) -> None:
    """Press the given option (1-5) for each statement in turn, checking each one is shown."""
    for value in values:
        shown = person.last_bot_message()
        assert shown.text is not None
        assert shown.keys[:5] == tuple((option,) for option in instrument.options), shown
        await person.press(instrument.options[value - 1])


def texts_of(person: SimUser) -> list[str]:
    """Every text the person has seen from the bot, deleted ones included."""
    return [m.text or "" for m in person.messages if m.sender == "bot"]
