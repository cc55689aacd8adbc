"""The key for keyed hashes: given, or generated once and kept apart from the data, and always
checked against the database it belongs to.

A new key for a database that already holds keyed data would silently break every "already
answered" marker and unfinished check-in, so that is never done: the bot stops and says which
key is missing or wrong.
"""

from __future__ import annotations

import hmac
import os
import secrets

import aiosqlite

from bot.config import ConfigError, Settings
from bot.core.pseudonym import MIN_SECRET_BYTES, Pseudonyms
from bot.storage import meta


def _variable(settings: Settings) -> bytes | None:
    secret = settings.secret.get_secret_value() if settings.secret is not None else ""
    return secret.encode() or None


def key_source(settings: Settings) -> str:
    """Where the key comes from, for an operator: the variable or the file."""
    return "CHECKIN_SECRET" if _variable(settings) else str(settings.secret_path())


def _given(settings: Settings) -> tuple[bytes | None, str]:
    """The key from CHECKIN_SECRET or the key file, if there is one, and where it came from."""
    variable = _variable(settings)
    if variable is not None:
        return variable, "CHECKIN_SECRET"
    path = settings.secret_path()
    try:
        return path.read_bytes().strip(), f"the key file {path}"
    except FileNotFoundError:
        return None, f"the key file {path}"
    except OSError as err:
        raise ConfigError(f"cannot read the key file {path}: {err.strerror}") from None


def _generate(settings: Settings) -> bytes:
    """A new random key in a new file readable by its owner only (made once)."""
    path = settings.secret_path()
    key = secrets.token_hex(32).encode()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another command made it a moment ago
        return path.read_bytes().strip()
    except OSError as err:
        raise ConfigError(
            f"cannot create the key file {path}: {err.strerror}. Set CHECKIN_SECRET_FILE to "
            "a writable place outside the data folder."
        ) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


async def settle_key(settings: Settings, conn: aiosqlite.Connection, *, create: bool) -> bytes:
    """The key that fits the database; `create` allows making a key and storing its check."""
    key, source = _given(settings)
    stored = await meta.key_check(conn)
    if key is None:
        if await meta.holds_keyed_data(conn):
            raise ConfigError(
                f"{source} is missing and the database {settings.database} holds data made "
                "with it: put the file back from your copy (or point CHECKIN_SECRET_FILE or "
                "CHECKIN_SECRET to it); a new key would break unfinished check-ins"
            )
        if not create:
            # Nothing keyed is stored and a read-only command stores nothing: any key will do.
            return secrets.token_bytes(32)
        key, stored = _generate(settings), None
    if len(key) < MIN_SECRET_BYTES:
        raise ConfigError(f"{source} is too short: a key needs at least {MIN_SECRET_BYTES} bytes")
    check = Pseudonyms(key).key_check()
    if stored is None:
        if create:
            await meta.set_key_check(conn, check)
    elif not hmac.compare_digest(stored, check):
        raise ConfigError(
            f"{source} does not match the database {settings.database}: use the key it was "
            "made with (CHECKIN_SECRET, CHECKIN_SECRET_FILE or its key file)"
        )
    return key
