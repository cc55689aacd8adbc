"""The Bot API as data: load the compact spec, decode parameters by type and validate calls.

The emulator is strict because of this module: every call a bot makes is checked against the
methods, field types and required flags of the published Bot API, so a test fails on the same
mistakes that the real Telegram would reject.  The compact spec in ``bot_api.json`` is built
from the full spec (PaulSonOfLars/telegram-bot-api-spec, MIT) with ``python -m
bot.dev.emulator.spec FULL_API_JSON OUT``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from bot.dev.emulator.models import UploadedFile

SOURCE: Final = "https://github.com/PaulSonOfLars/telegram-bot-api-spec"
LICENSE: Final = "MIT"
COMPACT_SPEC_PATH: Final = Path(__file__).with_name("bot_api.json")

_PRIMITIVES: Final = frozenset({"Integer", "Float", "Boolean", "String", "True", "InputFile"})
_ARRAY_PREFIX: Final = "Array of "
# A field of a subtype whose description says it "must be x" or is 'always "x"' tells the
# subtypes of a union apart (BotCommandScopeChat has type "chat", and so on).
_CONST_RE: Final = re.compile(r'(?:must be|always) \*?"?([a-z0-9_]+)"?\*?\s*$')


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One parameter of a method or one field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True, slots=True)
class MethodSpec:
    """One Bot API method: its parameters and what it returns."""

    name: str
    fields: dict[str, FieldSpec]
    returns: tuple[str, ...]

    @property
    def required(self) -> list[str]:
        """Names of the parameters a call must carry."""
        return [f.name for f in self.fields.values() if f.required]


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """One Bot API object type, or a union of subtypes (then ``fields`` is empty)."""

    name: str
    fields: dict[str, FieldSpec]
    subtypes: tuple[str, ...]
    const: dict[str, str]


# --------------------------------------------------------------------------- building


def build_compact(full: dict[str, Any]) -> dict[str, Any]:
    """Reduce the full spec to what validation needs: names, types, required flags.

    Descriptions are dropped except for the discriminating constants of union subtypes, which
    are kept as ``const`` so that a BotCommandScope can be checked against the right subtype.
    """
    methods: dict[str, Any] = {}
    for name in sorted(full["methods"]):
        method = full["methods"][name]
        fields = method.get("fields", [])
        methods[name] = {
            "returns": list(method.get("returns", [])),
            "fields": {f["name"]: list(f["types"]) for f in fields},
            "required": [f["name"] for f in fields if f["required"]],
        }
    types: dict[str, Any] = {}
    for name in sorted(full["types"]):
        typ = full["types"][name]
        entry: dict[str, Any] = {}
        if "subtypes" in typ:
            entry["subtypes"] = list(typ["subtypes"])
        if "fields" in typ:
            fields = typ["fields"]
            entry["fields"] = {f["name"]: list(f["types"]) for f in fields}
            entry["required"] = [f["name"] for f in fields if f["required"]]
            if "subtype_of" in typ:
                const = {}
                for f in fields:
                    match = _CONST_RE.search(f.get("description", ""))
                    if f["required"] and f["types"] == ["String"] and match:
                        const[f["name"]] = match.group(1)
                if const:
                    entry["const"] = const
        types[name] = entry
    return {
        "source": SOURCE,
        "license": LICENSE,
        "built_by": "python -m bot.dev.emulator.spec api.json bot/dev/emulator/bot_api.json",
        "version": full.get("version", ""),
        "release_date": full.get("release_date", ""),
        "methods": methods,
        "types": types,
    }


def dump_compact(spec: dict[str, Any]) -> str:
    """Serialise the compact spec with one method or type per line, so diffs stay readable."""

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = ["{"]
    scalars = [k for k in spec if k not in ("methods", "types")]
    lines.extend(f" {one(key)}: {one(spec[key])}," for key in scalars)
    for section in ("methods", "types"):
        entries = [f"  {one(name)}: {one(body)}" for name, body in spec[section].items()]
        closing = " }," if section == "methods" else " }"
        lines.append(f" {one(section)}: {{")
        lines.append(",\n".join(entries))
        lines.append(closing)
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Build ``OUT`` from the full spec ``BUILD_FROM``: ``python -m bot.dev.emulator.spec A B``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m bot.dev.emulator.spec FULL_API_JSON OUT", file=sys.stderr)
        return 2
    full = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    Path(args[1]).write_text(dump_compact(build_compact(full)), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- loading


def _fields(raw: dict[str, Any]) -> dict[str, FieldSpec]:
    required = set(raw.get("required", []))
    return {
        name: FieldSpec(name, tuple(types), name in required)
        for name, types in raw.get("fields", {}).items()
    }


class ApiSpec:
    """The loaded compact spec with type-directed decoding and validation of calls."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data.get("version", "")
        self.methods: dict[str, MethodSpec] = {
            name: MethodSpec(name, _fields(raw), tuple(raw.get("returns", [])))
            for name, raw in data["methods"].items()
        }
        self.types: dict[str, TypeSpec] = {
            name: TypeSpec(
                name,
                _fields(raw),
                tuple(raw.get("subtypes", [])),
                dict(raw.get("const", {})),
            )
            for name, raw in data["types"].items()
        }
        # Telegram matches method names case-insensitively.
        self._by_lower = {name.lower(): spec for name, spec in self.methods.items()}

    @classmethod
    def load(cls, path: Path | None = None) -> ApiSpec:
        """Load a compact spec file (the bundled one by default)."""
        target = COMPACT_SPEC_PATH if path is None else path
        return cls(json.loads(target.read_text(encoding="utf-8")))

    def method(self, name: str) -> MethodSpec | None:
        """The method called ``name`` (case-insensitive, as Telegram does), or None."""
        return self._by_lower.get(name.lower())

    # ----------------------------------------------------------------------- decoding

    def decode_params(self, method: MethodSpec, raw: dict[str, object]) -> dict[str, object]:
        """Turn transport values into typed values, following each field's declared types.

        Form bodies carry every value as a string, with nested values JSON-encoded; a field
        typed String stays exactly the string sent, everything else is JSON-decoded.  A
        ``attach://name`` reference to an InputFile field resolves to that uploaded part.
        Unknown fields pass through unchanged so that validation can name them.
        """
        uploads = {k: v for k, v in raw.items() if isinstance(v, UploadedFile)}
        out: dict[str, object] = {}
        consumed: set[str] = set()
        for key, value in raw.items():
            field = method.fields.get(key)
            if field is None or not isinstance(value, str):
                out[key] = value
                continue
            if "InputFile" in field.types and value.startswith("attach://"):
                part = value.removeprefix("attach://")
                if part in uploads:
                    out[key] = uploads[part]
                    consumed.add(part)
                    continue
            out[key] = self._decode_string(value, field.types)
        for part in consumed:
            if part not in method.fields:
                out.pop(part, None)
        return out

    def _decode_string(self, value: str, types: tuple[str, ...]) -> object:
        if all(t in ("String", "InputFile") for t in types):
            return value
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if "String" not in types:
            return decoded
        others = tuple(t for t in types if t != "String")
        return decoded if not self.check_value(decoded, others, "") else value

    # ----------------------------------------------------------------------- validation

    def check_call(self, method: MethodSpec, params: Mapping[str, object]) -> list[str]:
        """Reasons why ``params`` is not a valid call of ``method`` (empty when valid)."""
        reasons = [
            f"unknown parameter {key!r} for {method.name}"
            for key in params
            if key not in method.fields
        ]
        reasons.extend(
            f"required parameter {name!r} of {method.name} is missing"
            for name in method.required
            if name not in params
        )
        for key, value in params.items():
            field = method.fields.get(key)
            if field is not None:
                reasons.extend(self.check_value(value, field.types, key))
        return reasons

    def check_value(self, value: object, types: tuple[str, ...], path: str) -> list[str]:
        """Reasons why ``value`` matches none of ``types`` (empty when it matches one)."""
        if len(types) == 1:
            return self._check_one(value, types[0], path)
        attempts = [self._check_one(value, t, path) for t in types]
        if any(not a for a in attempts):
            return []
        if isinstance(value, dict):
            # Report the object type whose field names fit best rather than all of them.
            shaped = [a for t, a in zip(types, attempts, strict=True) if self._fits(value, t)]
            return shaped[0] if shaped else min(attempts, key=len)
        return [f"{path or 'value'}: expected {' or '.join(types)}, got {_kind(value)}"]

    def _fits(self, value: dict[Any, Any], type_name: str) -> bool:
        spec = self.types.get(type_name)
        if spec is None:
            return False
        if spec.subtypes:
            return any(self._fits(value, sub) for sub in spec.subtypes)
        keys = set(value)
        return keys <= set(spec.fields) and all(
            f.name in keys for f in spec.fields.values() if f.required
        )

    def _check_one(self, value: object, type_name: str, path: str) -> list[str]:
        where = path or "value"
        if type_name.startswith(_ARRAY_PREFIX):
            if not isinstance(value, list):
                return [f"{where}: expected {type_name}, got {_kind(value)}"]
            inner = (type_name.removeprefix(_ARRAY_PREFIX),)
            reasons: list[str] = []
            for i, item in enumerate(value):
                reasons.extend(self.check_value(item, inner, f"{path}[{i}]"))
            return reasons
        if type_name in _PRIMITIVES:
            ok = _PRIMITIVE_CHECKS[type_name](value)
            return [] if ok else [f"{where}: expected {type_name}, got {_kind(value)}"]
        spec = self.types.get(type_name)
        if spec is None:
            return [f"{where}: unknown type {type_name}"]
        if not isinstance(value, dict):
            return [f"{where}: expected {type_name} object, got {_kind(value)}"]
        if spec.subtypes:
            return self._check_union(value, spec, path)
        return self._check_object(value, spec, path)

    def _check_union(self, value: dict[Any, Any], spec: TypeSpec, path: str) -> list[str]:
        where = path or "value"
        candidates = [self.types[s] for s in spec.subtypes if s in self.types]
        matching = [c for c in candidates if all(value.get(k) == v for k, v in c.const.items())]
        if not matching:
            allowed = sorted({v for c in candidates for v in c.const.values()})
            return [f"{where}: not a valid {spec.name} (expected one of {', '.join(allowed)})"]
        attempts = [self._check_object(value, c, path) for c in matching]
        return [] if any(not a for a in attempts) else attempts[0]

    def _check_object(self, value: dict[Any, Any], spec: TypeSpec, path: str) -> list[str]:
        prefix = f"{path}." if path else ""
        reasons = [
            f"{prefix}{key}: unknown field of {spec.name}"
            for key in value
            if key not in spec.fields
        ]
        reasons.extend(
            f"{prefix}{f.name}: required field of {spec.name} is missing"
            for f in spec.fields.values()
            if f.required and f.name not in value
        )
        for key, item in value.items():
            field = spec.fields.get(key)
            if field is not None:
                reasons.extend(self.check_value(item, field.types, f"{prefix}{key}"))
        for key, expected in spec.const.items():
            if key in value and value[key] != expected:
                reasons.append(f"{prefix}{key}: must be {expected!r} for {spec.name}")
        return reasons


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_PRIMITIVE_CHECKS: Final[dict[str, Callable[[object], bool]]] = {
    "Integer": _is_int,
    "Float": lambda v: _is_int(v) or isinstance(v, float),
    "Boolean": lambda v: isinstance(v, bool),
    "True": lambda v: v is True,
    "String": lambda v: isinstance(v, str),
    "InputFile": lambda v: isinstance(v, UploadedFile),
}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, UploadedFile):
        return "an uploaded file"
    names = {bool: "boolean", int: "integer", float: "float", str: "string"}
    for typ, name in names.items():
        if type(value) is typ:
            return f"{name} {json.dumps(value, ensure_ascii=False)[:40]}"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


@cache
def default_spec() -> ApiSpec:
    """The bundled compact spec, loaded once per process."""
    return ApiSpec.load()


if __name__ == "__main__":
    raise SystemExit(main())
