"""Names in Polish alphabetical order on both databases: Ć after C, Ł after L, Ż last.

PostgreSQL: the ICU collation `pl-x-icu` (PostgreSQL built with ICU, as Debian's and
the official images are). SQLite, the embedded default: a collation `pl` registered on
every connection, built on the same rules: the Polish alphabet
(a ą b c ć d e ę f g h i j k l ł m n ń o ó p q r s ś t u v w x y z ź ż), letters before
case, spaces and punctuation before letters, so both databases give one order.
"""

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

POSTGRESQL_COLLATION = "pl-x-icu"
SQLITE_COLLATION = "pl"
ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}


def polish_key(text: str) -> tuple:
    """A sort key: Polish letters first, then lower case before upper case."""
    letters = []
    for char in text or "":
        lower = char.lower()
        if lower in _RANK:
            letters.append((2, _RANK[lower], ""))
        elif char.isdigit():
            letters.append((1, ord(char), ""))
        elif char.isalpha():  # other alphabets: after the Polish letters
            letters.append((3, ord(lower), ""))
        else:
            letters.append((0, ord(char), ""))
    cases = tuple(char.isupper() for char in text or "")
    return (tuple(letters), cases)


def _sqlite_compare(left: str, right: str) -> int:
    a, b = polish_key(left), polish_key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """Receiver of `connection_created`: SQLite learns the Polish order."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _sqlite_compare)


def polish(field: str) -> Collate | F:
    """The field, compared in Polish alphabetical order (for `order_by`)."""
    if connection.vendor == "postgresql":
        return Collate(F(field), POSTGRESQL_COLLATION)
    if connection.vendor == "sqlite":
        return Collate(F(field), SQLITE_COLLATION)
    return F(field)
