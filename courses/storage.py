import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files only checked views serve: kept outside MEDIA_ROOT and without any URL.

    The location is read from settings on every use, so tests and deployments that
    change PRIVATE_MEDIA_ROOT take effect without re-importing the models.
    """

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError(
            "Private files have no URL; serve them through a checked view."
        )


def private_storage() -> PrivateStorage:
    return PrivateStorage()
