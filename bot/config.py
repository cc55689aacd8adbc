"""Settings: one pydantic-settings model, read once at start-up and passed down."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal, TypedDict
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
# What @BotFather hands out: the bot's numeric id, a colon, and 35 characters (a few more or
# fewer are accepted, in case Telegram changes the length).
TOKEN_SHAPE = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{30,64}")
LogFormat = Literal["text", "json"]


class Webhook(TypedDict):
    """python-telegram-bot's arguments for receiving updates by webhook."""

    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str


class ConfigError(Exception):
    """Bad configuration; the message is one line saying what to fix."""


class Settings(BaseSettings):
    """Everything the bot can be told through `CHECKIN_*` environment variables."""

    model_config = SettingsConfigDict(
        env_prefix="CHECKIN_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # `.env.example` copied as it is leaves many values empty: they mean "not set", so the
        # default (or the systemd credential, for the token) applies.
        env_ignore_empty=True,
        secrets_dir=os.environ.get("CREDENTIALS_DIRECTORY"),
    )

    bot_token: SecretStr | None = None
    bot_username: str | None = None
    api_base_url: str = TELEGRAM_API_BASE_URL
    database: Path = Path("data/checkin.sqlite3")
    coordinators: Annotated[frozenset[int], NoDecode] = frozenset()
    secret: SecretStr | None = None
    secret_file: Path | None = None
    min_group_size: int = Field(default=5, ge=1, le=1000)
    # Row-level data only from release blocks at least this big: in a small group, two known
    # answers single a person out.
    min_row_block: int = Field(default=20, ge=1, le=100_000)
    draft_ttl_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    timezone: str = "Europe/Helsinki"
    # Telegram's ceiling for one bot is about 30 messages a second; the bot paces itself a
    # little below it (see bot.tg.pacing). 0 sends without waiting (a self-hosted Bot API server
    # or the emulator without flood control). 429 answers are always obeyed.
    max_messages_per_second: float = Field(default=30.0, ge=0)
    close_grace_minutes: float = Field(default=15.0, ge=0, le=24 * 60)
    session_hours: float = Field(default=12.0, ge=0, le=24 * 365)
    count_update_seconds: float = Field(default=3.0, ge=0, le=600)
    # Long polling waits this long between getUpdates calls, so that under load the updates
    # that arrive meanwhile come in one call: fewer requests and less CPU per answer, at most
    # this much later a reply.
    poll_interval: float = Field(default=0.01, ge=0, le=5)
    # "json" writes one JSON object per line, for a log collector.
    log_format: LogFormat = "text"
    # Webhook mode, for operators behind a reverse proxy; long polling when the URL is unset.
    webhook_url: str | None = Field(default=None, pattern=r"^https://\S+$")
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _row_blocks_hold_a_group(self) -> Settings:
        if self.min_row_block < self.min_group_size:
            raise ValueError(
                f"CHECKIN_MIN_ROW_BLOCK ({self.min_row_block}) must be at least "
                f"CHECKIN_MIN_GROUP_SIZE ({self.min_group_size})"
            )
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if self.webhook_url and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
            raise ValueError(
                "CHECKIN_WEBHOOK_SECRET must be set (16-256 characters A-Z a-z 0-9 _ -) "
                "with CHECKIN_WEBHOOK_URL"
            )
        return self

    @field_validator("coordinators", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown time zone {value!r}") from err
        return value

    @field_validator("bot_username")
    @classmethod
    def _strip_at(cls, value: str | None) -> str | None:
        return value.lstrip("@") if value else value

    @property
    def zone(self) -> ZoneInfo:
        """The time zone that decides which day an answer set belongs to."""
        return ZoneInfo(self.timezone)

    def webhook(self) -> Webhook | None:
        """python-telegram-bot's webhook arguments, or None for long polling.

        The reverse proxy forwards the URL's path to webhook_listen:webhook_port.
        """
        if self.webhook_url is None or self.webhook_secret is None:
            return None
        return Webhook(
            listen=self.webhook_listen,
            port=self.webhook_port,
            url_path=urlsplit(self.webhook_url).path.lstrip("/"),
            webhook_url=self.webhook_url,
            secret_token=self.webhook_secret.get_secret_value(),
        )

    def require_token(self) -> str:
        """The bot token, or a ConfigError that says how to get one or what is wrong with it.

        The shape is checked before any call, so a token pasted with quotes, spaces or a
        `bot` in front is one clear line instead of a refusal from Telegram. The message never
        repeats the token.
        """
        token = self.bot_token.get_secret_value().strip() if self.bot_token else ""
        if not token:
            raise ConfigError(
                "CHECKIN_BOT_TOKEN is not set. Get a token from @BotFather and set it "
                "(or try the bot without one: checkin-bot demo)."
            )
        if not TOKEN_SHAPE.fullmatch(token):
            raise ConfigError(
                "CHECKIN_BOT_TOKEN does not look like a bot token: it should be the bot's number, "
                "a colon and about 35 letters, digits, _ or - (as @BotFather gave it, no quotes "
                "or spaces)."
            )
        return token

    def secret_path(self) -> Path:
        """Where the generated key is kept: CHECKIN_SECRET_FILE, else the user's configuration
        folder, apart from the data, so that a copy of the data folder or a backup does not
        carry it. An installation that keeps it beside the database (`<database>.secret`)
        goes on using that file until it is moved."""
        config = Path(os.environ.get("XDG_CONFIG_HOME", ""))
        folder = config if config.is_absolute() else Path.home() / ".config"
        chosen = self.secret_file or folder / "checkin-bot" / f"{self.database.name}.secret"
        beside = self.database.with_name(self.database.name + ".secret")
        return beside if beside.exists() and not chosen.exists() else chosen


def load_settings() -> Settings:
    """Read the settings, turning validation errors into one readable line."""
    try:
        return Settings()
    except ValidationError as err:
        first = err.errors()[0]
        if not first["loc"]:
            raise ConfigError(f"{first['msg'].removeprefix('Value error, ')}.") from None
        field = str(first["loc"][0])
        raise ConfigError(
            f"CHECKIN_{field.upper()} is not valid: {first['msg']}. Fix it in the environment "
            "or in .env (see .env.example)."
        ) from None
