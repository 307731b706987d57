from django import template
from django.core.cache import cache

from ..cache_version import CacheVersion
from ..services.privacy import clause_current, consents_to_reask

register = template.Library()


@register.simple_tag(takes_context=True)
def project_clause(context, project):
    """The clause shown before enrolling in a project: its own, else the platform's.

    Looked up once per project and request, however many of its editions a page lists.
    """
    request = context.get("request")
    found = getattr(request, "_project_clauses", None)
    if found is None:
        found = {}
        if request is not None:
            request._project_clauses = found
    key = getattr(project, "pk", None)
    if key not in found:
        found[key] = cached_project_clause(project=project)
    return found[key]


# Every clause published (or removed) sets a new version: the next page reads afresh.
CLAUSES_VERSION = CacheVersion("courses:clauses:v")
CLAUSE_TTL = 600
_NONE = "none"


def cached_project_clause(*, project):
    """The project's clause (else the platform's), from the cache while no clause changes."""
    version = CLAUSES_VERSION.current()
    if version is None:  # a cache that keeps nothing
        return clause_current(project=project) or clause_current(project=None)
    key = f"courses:clause:{version}:{getattr(project, 'pk', None)}"
    clause = cache.get(key)
    if clause is None:
        clause = clause_current(project=project) or clause_current(project=None)
        cache.set(key, clause if clause is not None else _NONE, CLAUSE_TTL)
    return None if clause == _NONE else clause


def clauses_changed(**kwargs) -> None:
    """Receiver: a clause was saved or deleted; pages read afresh, now and after commit."""
    CLAUSES_VERSION.changed()


@register.inclusion_tag("courses/includes/consent_reminder.html", takes_context=True)
def consent_reminder(context):
    """A notice for a person whose consent was given to an older wording."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"texts": []}
    return {"texts": consents_to_reask(user=user)}
