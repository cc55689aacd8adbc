"""Codes that let people join a session: an unguessable one for links, a short one to type.

Every shape of a join code lives here: how each is made, how a text is recognised as one, and
how a typed code is normalised before it is looked up.
"""

from __future__ import annotations

import re
import secrets

from bot.core.checkin import DIRECTION_MARKS

LINK_CODE_LENGTH = 22
LINK_CODE_PATTERN = rf"[A-Za-z0-9_-]{{{LINK_CODE_LENGTH}}}"
"""The deep-link alphabet of `secrets.token_urlsafe`, the only one a /start link may carry."""

SHORT_ALPHABET = "ABDEFGHJKLMNPRSTUVY23456789"
"""Letters and digits that are easy to read aloud and to type: no W, Q, X, Z or C (foreign to
Finnish, said in many ways), no 0 or O, no 1 or I."""
SHORT_LENGTH = 7
"""27**7, about 10**10 codes: see bot.usecases.joining for why that is enough."""
EARLIER_SHORT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
EARLIER_SHORT_LENGTH = 6
"""Codes made before the alphabet above: they work as long as their sessions (a day at most)."""

_LINK_CODE = re.compile(LINK_CODE_PATTERN)
SHORT_CODE_PATTERN = rf"[{SHORT_ALPHABET}]{{{SHORT_LENGTH}}}"
_SHORT_CODE = re.compile(SHORT_CODE_PATTERN)
_EARLIER_SHORT_CODE = re.compile(rf"[{EARLIER_SHORT_ALPHABET}]{{{EARLIER_SHORT_LENGTH}}}")


def new_join_code() -> str:
    """128 random bits, 22 characters from the deep-link alphabet A-Za-z0-9_-."""
    return secrets.token_urlsafe(16)


def new_short_code() -> str:
    """Seven characters that are easy to read from a screen or aloud, and to type on a phone."""
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


def is_link_code(text: str) -> bool:
    """Whether the text is shaped like a link's code (it is case-sensitive: used as it is)."""
    return _LINK_CODE.fullmatch(text) is not None


def normalise_short_code(text: str) -> str:
    """A typed code as it is stored: without spaces, dashes or direction marks (a code copied
    from an Arabic or Persian message carries invisible isolates), in capitals."""
    return "".join(text.translate(DIRECTION_MARKS).replace("-", " ").split()).upper()


def is_short_code(text: str) -> bool:
    """Whether the text is a short code as someone may type it: any case, spaces, dashes."""
    code = normalise_short_code(text)
    return bool(_SHORT_CODE.fullmatch(code) or _EARLIER_SHORT_CODE.fullmatch(code))


def join_link(bot_username: str, join_code: str) -> str:
    """The t.me link that opens the bot and sends `/start <code>`."""
    return f"https://t.me/{bot_username}?start={join_code}"
