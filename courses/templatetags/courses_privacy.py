from django import template

from ..services.privacy import clause_current, consents_to_reask

register = template.Library()


@register.simple_tag
def project_clause(project):
    """The clause shown before enrolling in a project: its own, else the platform's."""
    return clause_current(project=project) or clause_current(project=None)


@register.inclusion_tag("courses/includes/consent_reminder.html", takes_context=True)
def consent_reminder(context):
    """A notice for a person whose consent was given to an older wording."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"texts": []}
    return {"texts": consents_to_reask(user=user)}
