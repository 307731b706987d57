from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Files that only checked views serve: never under a public media URL."""
    return FileSystemStorage(
        location=Path(settings.MEDIA_ROOT) / "private", base_url=None
    )
