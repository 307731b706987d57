"""The monitoring systems' layouts, read from the JSON files beside this module."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: str  # "" when never required; else the condition's name
    refusal: bool | None  # None: not a question; False: refusing is not allowed
    dictionary: str


@dataclass(frozen=True)
class Layout:
    system: str
    name: str
    source: str
    version: str
    verified: bool
    verification_note: str
    unverified_dictionaries: tuple[str, ...]
    columns: tuple[Column, ...]
    dictionaries: dict[str, dict[str, str]]

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def word(self, column: Column, value: str) -> str:
        """The funder's word for a value; an unknown value is left as it is."""
        words = self.dictionaries.get(column.dictionary)
        if words is None or value == "":
            return value
        return words.get(value, value)


@cache
def layout(system: str) -> Layout:
    """One system's layout; raises KeyError for a system with no file."""
    path = DATA / f"{system}.json"
    if not path.is_file():
        raise KeyError(system)
    raw = json.loads(path.read_text(encoding="utf-8"))
    columns = tuple(
        Column(
            key=item["key"],
            header=item["header"],
            required=item.get("required") or "",
            refusal=item.get("refusal"),
            dictionary=item.get("dictionary", item["key"]),
        )
        for item in raw["columns"]
    )
    return Layout(
        system=raw["system"],
        name=raw["name"],
        source=raw["source"],
        version=raw["version"],
        verified=bool(raw.get("verified")),
        verification_note=raw.get("verification_note", ""),
        unverified_dictionaries=tuple(raw.get("unverified_dictionaries", [])),
        columns=columns,
        dictionaries=raw["dictionaries"],
    )
