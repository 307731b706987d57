import pytest
from django.core.management import call_command


@pytest.fixture
def demo_data(db):
    """The demo accounts and pages, as `make run` loads them."""
    call_command("load_demo_data", verbosity=0)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty (per-process) cache."""
    from django.core.cache import cache

    cache.clear()
