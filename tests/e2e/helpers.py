"""Small steps that e2e transcripts share."""

from bot.emulator import SimUser
from bot.instrument import Instrument


async def answer_statements(person: SimUser, instrument: Instrument, values: list[int]) -> None:
    """Tap the given option (1-5) for each statement in turn, checking each one is shown."""
    for value in values:
        shown = person.last_bot_message()
        assert shown.text is not None
        assert shown.button_texts[:5] == list(instrument.options), shown
        await person.tap_button(instrument.options[value - 1], shown.message_id)


def texts_of(person: SimUser) -> list[str]:
    """Every text the person has seen from the bot, deleted ones included."""
    return [m.text or "" for m in person.messages if m.sender == "bot"]
