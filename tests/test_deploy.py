"""The deployment files: a bad configuration (exit code 2) is not restarted for ever, and in
the container a webhook is reachable through the published port."""

import asyncio
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from bot.dev.emulator import BotAPIEmulator
from tests.command_line import COMMAND, environment
from tests.e2e.test_webhook import HELP, free_port, post

DEPLOY = Path(__file__).parents[1] / "deploy"
INSTALLED = "/opt/checkin-bot/.venv/bin/checkin-bot"


def unit_settings() -> dict[str, list[str]]:
    """The systemd unit's settings, by name (some appear more than once)."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / "checkin-bot.service").read_text().splitlines():
        name, equals, value = line.partition("=")
        if equals and not line.startswith("#"):
            found.setdefault(name, []).append(value)
    return found


def test_systemd_does_not_restart_a_bad_configuration() -> None:
    settings = unit_settings()
    assert settings["Restart"] == ["on-failure"]
    assert settings["RestartPreventExitStatus"] == ["2"]
    assert settings["ExecStart"] == [f"{INSTALLED} run"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """`systemd-analyze verify` warns about any setting it cannot parse."""
    unit = tmp_path / "checkin-bot.service"
    unit.write_text((DEPLOY / "checkin-bot.service").read_text().replace(INSTALLED, COMMAND))
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""


def test_systemd_keeps_the_key_in_a_private_folder_of_its_own() -> None:
    settings = unit_settings()
    environment = dict(
        pair.split("=", 1) for line in settings["Environment"] for pair in line.split()
    )
    database = Path(environment["CHECKIN_DATABASE"])
    key = Path(environment["CHECKIN_SECRET_FILE"])
    states = {Path("/var/lib") / name for name in settings["StateDirectory"][0].split()}
    assert {database.parent, key.parent} == states  # two folders, neither inside the other
    assert settings["StateDirectoryMode"] == ["0700"]


def test_the_container_keeps_the_key_on_a_volume_of_its_own() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    compose = (DEPLOY / "compose.yaml").read_text()
    assert "CHECKIN_DATABASE=/data/checkin.sqlite3" in dockerfile
    assert "CHECKIN_SECRET_FILE=/key/checkin.sqlite3.secret" in dockerfile
    assert 'VOLUME ["/data", "/key"]' in dockerfile
    assert "chmod 700 /data /key" in dockerfile
    assert "- checkin-data:/data\n" in compose
    assert "- checkin-key:/key " in compose


def image_webhook_settings() -> dict[str, str]:
    """The webhook settings the image sets (its ENV lines); never its data or key paths."""
    return dict(re.findall(r"(CHECKIN_WEBHOOK_\w+)=(\S+)", (DEPLOY / "Dockerfile").read_text()))


def outside_address() -> str | None:
    """This machine's address on its network (not loopback), as another host would reach it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


def test_compose_publishes_the_webhook_port_of_the_image() -> None:
    port = image_webhook_settings()["CHECKIN_WEBHOOK_PORT"]
    assert f'"127.0.0.1:{port}:{port}"' in (DEPLOY / "compose.yaml").read_text()


async def test_with_the_image_settings_a_webhook_is_reachable_from_outside(
    tmp_path: Path,
) -> None:
    address = outside_address()
    if address is None:
        pytest.skip("needs a network address other than loopback")
    port = free_port()
    secret = "deploy-webhook-secret-0123456789"
    async with BotAPIEmulator() as emulator:
        env = environment(**image_webhook_settings()) | {
            "CHECKIN_WEBHOOK_PORT": str(port),
            "CHECKIN_WEBHOOK_URL": "https://checkin.example.org/telegram-updates",
            "CHECKIN_WEBHOOK_SECRET": secret,
            "CHECKIN_BOT_TOKEN": emulator.token,
            "CHECKIN_API_BASE_URL": emulator.base_url,
            "CHECKIN_DATABASE": str(tmp_path / "checkin.sqlite3"),
        }
        emulator.user(HELP["message"]["from"]["id"], "Verkko").started = True  # type: ignore[index]
        bot = await asyncio.create_subprocess_exec(
            COMMAND, "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.DEVNULL
        )
        try:
            for _ in range(300):
                if emulator.webhook is not None:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # setWebhook comes just before the server listens
            status = await post(f"http://{address}:{port}/telegram-updates", secret)
            await emulator.settle()
        finally:
            bot.terminate()
            await asyncio.wait_for(bot.wait(), 30)
    assert status == 200
    assert len(emulator.calls_to("sendMessage")) == 1


def docker_ignores(path: str) -> bool:
    """Whether `.dockerignore` keeps the path out of the image's build context, by Docker's
    rules: the last pattern that matches the path or a folder above it decides, `!` lets in
    again, `*` stays within one folder and `**` spans any number of them."""
    ignored = False
    for line in (DEPLOY.parent / ".dockerignore").read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        keep = pattern.startswith("!")
        parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern.removeprefix("!").strip("/"))
        wildcards = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
        regex = "".join(wildcards.get(part, re.escape(part)) for part in parts)
        folders = path.split("/")
        prefixes = ("/".join(folders[:n]) for n in range(1, len(folders) + 1))
        if any(re.fullmatch(regex, prefix) for prefix in prefixes):
            ignored = not keep
    return ignored


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        ".git/HEAD",
        "data/checkin.sqlite3",
        "checkin.sqlite3-wal",
        "bot/checkin.sqlite3",
        "checkin.sqlite3.secret",
        ".env",
        "deploy/.env",
        "bot/.env",
        "bot/__pycache__/cli.cpython-311.pyc",
        ".mypy_cache/3.11/bot/cli.data.json",
        ".pytest_cache/README.md",
        "locales/fi/LC_MESSAGES/messages.mo",
        "tests/test_deploy.py",
    ],
)
def test_the_build_context_leaves_out_environments_databases_secrets_and_caches(
    path: str,
) -> None:
    assert docker_ignores(path)


@pytest.mark.parametrize(
    "path",
    [
        "requirements.lock",
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "bot/cli.py",
        "bot/instruments/fi.toml",
        "bot/storage/migrations/0001_initial.sql",
        "locales/fi/LC_MESSAGES/messages.po",
    ],
)
def test_the_build_context_has_what_the_image_is_built_from(path: str) -> None:
    assert not docker_ignores(path)
