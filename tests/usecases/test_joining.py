"""Looking a code up: a typed code is found however it is typed; a wrong one is counted."""

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.core.codes import new_join_code
from bot.usecases.services import Services
from bot.usecases.sessions import create_session
from tests.usecases.conftest import T0

GUESSER = b"g" * 32
HOUR_AGO = T0 - timedelta(hours=1)


@pytest.mark.parametrize(
    "typed",
    [
        str.lower,
        lambda code: " ".join(code.lower()),
        lambda code: f"{code[:3]}-{code[3:]}",
        lambda code: f" {code[:4].lower()} - {code[4:]} ",
    ],
)
async def test_a_typed_code_is_found_in_small_letters_with_spaces_or_a_dash(
    services: Services, typed: Callable[[str], str]
) -> None:
    session = await create_session(services.sessions, "Ryhmä", T0)
    assert await services.codes.session(GUESSER, typed(session.short_code), T0) == session
    assert await services.codes.failures.by_person(GUESSER, HOUR_AGO) == 0


async def test_a_code_made_before_the_easier_alphabet_is_still_found(services: Services) -> None:
    session = await services.sessions.create_session("Ryhmä", new_join_code(), "WQX2Z3", T0)
    assert await services.codes.session(GUESSER, "wqx-2z3", T0) == session


async def test_a_wrong_typed_code_is_counted(services: Services) -> None:
    session = await create_session(services.sessions, "Ryhmä", T0)
    wrong = "ABDEFGH" if session.short_code != "ABDEFGH" else "HGFEDBA"
    assert await services.codes.session(GUESSER, wrong.lower(), T0) is None
    assert await services.codes.failures.by_person(GUESSER, HOUR_AGO) == 1
    assert await services.codes.failures.short_by_everyone(HOUR_AGO) == 1
