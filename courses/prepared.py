"""Querysets compiled once per process: for the reads of every enrolment and signed-in page.

Django compiles a queryset's SQL on every execution; for a read with joins that is
more CPU than running it (a fifth of a worker's samples in the enrolment rush went
to `as_sql`). `Prepared(build, *names)` compiles the queryset that
`build(**sentinels)` returns once per database connection alias (a sentinel value
for each named argument), remembering where each sentinel went
among the query's parameters; each call then runs the same text with the caller's
values and builds the objects as Django's own iterable does (the related objects of
`select_related` included, every field's `from_db_value` applied), or, for a
`values_list()` queryset, its tuples (each column's converters applied, so that an
EXISTS is a bool on SQLite too). An argument may stand in several places of the query
(the same value in each).

Only for querysets whose SQL does not depend on the values: filters by equality on
scalars, a fixed slice. A value that Django would fold into the text (None, which
becomes IS NULL; a list, whose length sets the IN list) must not be passed.

On PostgreSQL the statements also skip the server's planning after their first run
on a connection (`statement_cursor`, below).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import psycopg
from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

R = TypeVar("R")  # what a row becomes: the model's object, or a values_list() tuple


@dataclass
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: dict[str, list[int]]  # argument -> its places among the parameters
    compiler: Any
    tuples: bool  # a values_list() queryset: rows, not objects


# Sentinels no caller passes: each argument's own, so that its places are unambiguous;
# within a 32-bit column's range (Django treats a value beyond it as matching nothing).
_SENTINEL_BASE = -2_140_000_001
_BIG_MIN, _BIG_MAX = -(2**63), 2**63 - 1


# PostgreSQL plans a statement each time it receives its text: for the five EXISTS of
# the course materials' rules 4.6 ms of the server's CPU against 0.25 ms to run it
# (EXPLAIN ANALYZE, 3 December 2026). A statement sent through statement_cursor() is
# prepared once per connection (PREPARE, then EXECUTE with the values), as psycopg
# does for its server-side-binding cursors; Django's own cursors bind on the client
# and never prepare. Off with COURSES_PREPARED_STATEMENTS = False (e.g. behind a
# connection pooler in transaction mode that does not carry prepared statements).
_NEVER_ON_ITS_OWN = 2**31  # psycopg prepares after this many runs; ours ask at once


class _PreparingCursor(psycopg.Cursor):
    """psycopg's server-side-binding cursor, preparing every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):  # type: ignore[override]
        result = super().execute(query, params, prepare=True, binary=binary)
        if self._query is None:  # run by name: give Django's query log the text
            text = query.encode() if isinstance(query, str) else query
            self._query = _Statement(text)  # type: ignore[assignment]
        return result


class _Statement:
    """What Django's query log reads of a cursor (`_query.query`): the text run."""

    __slots__ = ("query",)

    def __init__(self, query: bytes) -> None:
        self.query = query


def statement_cursor(using: str = "default"):
    """A cursor of Django's (query logging and execute wrappers included) whose
    statements PostgreSQL prepares once per connection; elsewhere Django's own."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not getattr(
        settings, "COURSES_PREPARED_STATEMENTS", True
    ):
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: psycopg prepares nothing
        raw.prepare_threshold = _NEVER_ON_ITS_OWN
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_PreparingCursor(raw))  # type: ignore[attr-defined]


class Prepared(Generic[R]):
    """`build(**kwargs)` -> QuerySet, run as compiled SQL; see the module docstring."""

    def __init__(self, build: Callable[..., QuerySet[Any, R]], *names: str) -> None:
        self._build = build
        self._names = names
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        sentinels = {name: _SENTINEL_BASE - n for n, name in enumerate(self._names)}
        queryset = self._build(**sentinels).using(using)
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
            raise ValueError("only querysets of objects or of values_list() tuples")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = tuple(params)
        slots = {}
        for name, value in sentinels.items():
            places = [i for i, param in enumerate(params) if param == value]
            if not places:
                raise ValueError(f"{name} is not a parameter of the query: {sql}")
            slots[name] = places
        return _Compiled(
            sql=sql,
            params=params,
            slots=slots,
            compiler=compiler,
            tuples=queryset._iterable_class is ValuesListIterable,
        )

    def __call__(self, *, using: str = "default", **values: Any) -> list[R]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        params = list(compiled.params)
        for name, places in compiled.slots.items():
            value = values[name]
            if value is None or isinstance(value, (list, tuple, set, dict)):
                raise ValueError(f"{name}: a prepared query takes one scalar value")
            if isinstance(value, int) and not _BIG_MIN <= value <= _BIG_MAX:
                return []  # no row holds it (Django's own lookup says the same)
            for place in places:
                params[place] = value
        with statement_cursor(using) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.tuples:
            return list(compiled.compiler.results_iter([rows], tuple_expected=True))
        return self._objects(compiled.compiler, rows, using)

    @staticmethod
    def _objects(compiler, rows, using: str) -> list[Any]:
        # What django.db.models.query.ModelIterable does with one chunk of rows.
        select, klass_info = compiler.select, compiler.klass_info
        model_cls = klass_info["model"]
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        # Django 5.2's signature (the type stubs describe 6.0's, with fetch_mode).
        populators = get_related_populators(klass_info, select, using)  # type: ignore[call-arg]
        objects = []
        for row in compiler.results_iter([rows]):
            obj = model_cls.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, place in compiler.annotation_col_map.items():
                setattr(obj, name, row[place])
            objects.append(obj)
        return objects
