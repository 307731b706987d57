"""What the public pages keep in the cache: fragments that are the same for everyone.

For someone logged in pages are never cached whole (their menu, enrolments and
eligibility); anonymous home, course and edition pages are (cms/anonymous_cache.py, under
this version too). Otherwise only fragments with nothing personal in them are kept,
with Django's `{% cache %}` tag: the footer (funding marks, links), a page's breadcrumbs, and a course page's content (goals, programme, audience, trainers).

Their keys carry a version of the site's content (`site_version`, in every template's
context): any page published, unpublished, moved or deleted, any trainer, course,
edition, session, project, clause or funding-marks change sets a new version, so the next page renders afresh; the old
fragments are never read again and expire by themselves (FRAGMENT_TTL). The language
is in every key. Seats are not in any fragment (courses.seat_cache keeps them).
"""

import secrets

from courses.cache_version import CacheVersion

VERSION = CacheVersion("cms:site-version", timeout=7 * 24 * 3600)
VERSION_KEY = VERSION.key
FRAGMENT_TTL = 600  # seconds: the longest a fragment is kept whatever happens


def site_version() -> str:
    """The current version of the site's content; a new one if the cache has none."""
    # A cache that keeps nothing: a version per call, so nothing is ever reused.
    return VERSION.current() or secrets.token_hex(8)


def site_changed(**kwargs) -> None:
    """The site's content changed: every fragment renders afresh.

    Renewed at once (this transaction's own next page sees the change) and again once
    committed (a page that rendered from the old rows in between stored its fragment
    under the version renewed first, which nobody reads after the commit).
    """
    VERSION.changed()


def connect() -> None:
    """Every change that shows in a cached fragment sets a new site version."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(site_changed, dispatch_uid="cms.page_cache.published")
    page_unpublished.connect(site_changed, dispatch_uid="cms.page_cache.unpublished")
    post_page_move.connect(site_changed, dispatch_uid="cms.page_cache.moved")
    # A page's save sends post_save with its own class, and drafts change nothing
    # shown: publishing and unpublishing are the signals; deleting reaches Page.
    post_delete.connect(
        site_changed,
        sender=apps.get_model("wagtailcore.Page"),
        dispatch_uid="cms.page_cache.page_deleted",
    )
    for label in (
        "wagtailcore.Site",
        "courses.TrainerProfile",
        "courses.Course",
        "courses.FundingSettings",
        # Shown on the course and edition pages kept whole (cms.anonymous_cache).
        "courses.Edition",
        "courses.Session",
        "courses.Project",
        "courses.InformationClause",
        # A page made private is never served from a copy kept while it was public.
        "wagtailcore.PageViewRestriction",
        "wagtailimages.Image",
    ):
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(
                site_changed,
                sender=model,
                dispatch_uid=f"cms.page_cache.{label}.{signal is post_save}",
            )
