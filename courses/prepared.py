"""Querysets compiled once per process: for the few reads every enrolment makes.

Django compiles a queryset's SQL on every execution; for a read with joins that is
more CPU than running it (a fifth of a worker's samples in the enrolment rush went
to `as_sql`). `Prepared(build, *names)` compiles the queryset that
`build(**sentinels)` returns once per database connection alias (a sentinel value
for each named argument), remembering where each sentinel went
among the query's parameters; each call then runs the same text with the caller's
values and builds the objects as Django's own iterable does (the related objects of
`select_related` included, every field's `from_db_value` applied).

Only for querysets whose SQL does not depend on the values: filters by equality on
scalars, a fixed slice. A value that Django would fold into the text (None, which
becomes IS NULL; a list, whose length sets the IN list) must not be passed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)


@dataclass
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: dict[str, int]  # argument -> its place among the parameters
    compiler: Any


# Sentinels no caller passes: each argument's own, so that its place is unambiguous.
_SENTINEL_BASE = -7_340_000_001
_BIG_MIN, _BIG_MAX = -(2**63), 2**63 - 1


class Prepared(Generic[M]):
    """`build(**kwargs)` -> QuerySet, run as compiled SQL; see the module docstring."""

    def __init__(self, build: Callable[..., QuerySet[M]], *names: str) -> None:
        self._build = build
        self._names = names
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        sentinels = {name: _SENTINEL_BASE - n for n, name in enumerate(self._names)}
        queryset = self._build(**sentinels).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = tuple(params)
        slots = {}
        for name, value in sentinels.items():
            places = [i for i, param in enumerate(params) if param == value]
            if len(places) != 1:
                raise ValueError(f"{name} is not one parameter of the query: {sql}")
            slots[name] = places[0]
        return _Compiled(sql=sql, params=params, slots=slots, compiler=compiler)

    def __call__(self, *, using: str = "default", **values: Any) -> list[M]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        params = list(compiled.params)
        for name, place in compiled.slots.items():
            value = values[name]
            if value is None or isinstance(value, (list, tuple, set, dict)):
                raise ValueError(f"{name}: a prepared query takes one scalar value")
            if isinstance(value, int) and not _BIG_MIN <= value <= _BIG_MAX:
                return []  # no row holds it (Django's own lookup says the same)
            params[place] = value
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return self._objects(compiled.compiler, rows, using)

    @staticmethod
    def _objects(compiler, rows, using: str) -> list[M]:
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
