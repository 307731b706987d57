"""Images of restricted lessons go only to those entitled, as the documents do."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.services import OPEN_MATERIALS
from tests.cms.test_course_materials import (  # noqa: F401 - the fixture
    ENTITLED,
    NOT_ENTITLED,
    _login,
    world,
)

Image = get_image_model()


def _png(colour) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _image(*, title, collection, colour):
    return Image.objects.create(
        title=title,
        collection=collection,
        file=ImageFile(io.BytesIO(_png(colour)), name=f"{title}.png"),
    )


@pytest.fixture
def pictures(world):  # noqa: F811
    materials = world["course_page"].materials_collection
    restricted = _image(title="schemat-zastrzezony", collection=materials, colour="red")
    public = _image(
        title="schemat-otwarty",
        collection=materials.get_children().get(name=OPEN_MATERIALS),
        colour="blue",
    )
    lesson = world["locked_lesson"]
    lesson.body.append(("image", {"image": restricted, "alt": "Schemat etapów"}))
    lesson.save_revision().publish()
    return {
        "restricted": restricted,
        "restricted_rendition": restricted.get_rendition("width-800"),
        "public": public,
        "public_rendition": public.get_rendition("width-800"),
    }


@pytest.mark.parametrize("role", ENTITLED)
def test_entitled_see_the_restricted_image_in_the_lesson(world, pictures, client, role):  # noqa: F811
    _login(client, world, role)
    body = client.get(world["locked_lesson"].url).content.decode()
    shown = pictures["restricted_rendition"].url
    assert shown.startswith("/media/images/") and shown in body
    for url in (shown, pictures["restricted"].file.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
        assert response["Content-Type"] == "image/png"
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", NOT_ENTITLED)
def test_others_get_nothing_of_the_restricted_image(world, pictures, client, role):  # noqa: F811
    _login(client, world, role)
    body = client.get(world["locked_lesson"].url).content.decode()
    assert "/media/images/" not in body
    for url in (pictures["restricted_rendition"].url, pictures["restricted"].file.url):
        response = client.get(url)
        # The same answer as for a file that does not exist.
        assert response.status_code == 404, url
        assert b"PNG" not in response.content


@pytest.mark.parametrize("role", ["anonymous", "not_enrolled", "enrolled"])
def test_public_images_are_open_to_everyone(world, pictures, client, role):  # noqa: F811
    _login(client, world, role)
    for url in (pictures["public_rendition"].url, pictures["public"].file.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"]


def test_unknown_and_crafted_paths_are_404(world, pictures, client):  # noqa: F811
    _login(client, world, "coordinator")
    for path in (
        "/media/images/nie-ma-takiego.png",
        "/media/images/../original_images/schemat-zastrzezony.png",
        "/media/original_images/%2e%2e%2fsettings.py",
        "/media/images/",
    ):
        assert client.get(path).status_code == 404, path
