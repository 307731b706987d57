import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.images import get_image_model

from courses.roles import roles_of

from .models import CoursePage
from .selectors import pages_search


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: who they are and where to go next."""
    return render(request, "cms/account.html", {"roles": roles_of(request.user)})


def search(request: HttpRequest) -> HttpResponse:
    """Site search: published pages, restricted lessons as title and teaser only."""
    query = request.GET.get("q", "")[:200]
    hits = pages_search(query=query, user=request.user)
    return render(request, "cms/search.html", {"query": query, "hits": hits})


def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404


def _image_course_page(image) -> CoursePage | None:
    """The course whose restricted collection holds the image, if any."""
    return CoursePage.objects.filter(
        materials_collection_id=image.collection_id
    ).first()


def media_image(request: HttpRequest, path: str) -> FileResponse:
    """An image or rendition file, checked like the documents.

    Files of a course's own collection (restricted materials) go only to those entitled
    to its materials; to anyone else the answer is 404, as for a file that does not
    exist, so that nothing tells them what a restricted lesson shows. Public images are
    served the same way (the proxy never serves /media/ itself).
    """
    Image = get_image_model()
    rendition = (
        Image.get_rendition_model()
        .objects.select_related("image")
        .filter(file=path)
        .first()
    )
    image = rendition.image if rendition else Image.objects.filter(file=path).first()
    if image is None:
        raise Http404
    course_page = _image_course_page(image)
    restricted = course_page is not None
    if course_page is not None and not course_page.materials_open_to(request.user):
        raise Http404
    file = rendition.file if rendition else image.file
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    if restricted:
        # Whether it is shown depends on who asks: no shared cache may keep it.
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Cookie"])
    else:
        patch_cache_control(response, public=True, max_age=3600)
    return response
