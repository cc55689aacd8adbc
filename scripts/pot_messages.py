"""Print what matters in a gettext template, one message per line, for `catalogs.sh` to compare.

Each line holds a message's context, id (singular and plural), flags and translator comments.
Headers (creation date, generator version, copyright year) are left out: they change with the
day and with the Babel release, not with the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po


def messages(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    lines = [
        json.dumps(
            [message.context, message.id, sorted(message.flags), message.auto_comments],
            ensure_ascii=False,
        )
        for message in catalog
        if message.id
    ]
    return sorted(lines)


if __name__ == "__main__":
    sys.stdout.write("".join(line + "\n" for line in messages(Path(sys.argv[1]))))
