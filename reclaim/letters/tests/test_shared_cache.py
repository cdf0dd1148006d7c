"""With REDIS_URL the cache is shared by every process: the aggregation job's figures are
public at once. Runs where a Redis server answers on 127.0.0.1:6379 (CI has one)."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from reclaim.letters.counting import aggregate_counts
from reclaim.letters.models import Signature


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # runs in parallel do not meet
        }
    }
    settings.SHARED_CACHE = True
    yield
    cache.clear()


def test_counts_aggregated_by_the_job_are_public_at_once_through_redis(
    client, petition, redis_cache
):
    assert isinstance(caches["default"], RedisCache)
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 0
    Signature.objects.create(
        petition=petition, country="FR", email_hash="y" * 64, confirmed_at=timezone.now()
    )
    aggregate_counts()
    assert client.get("/api/petitions/ban/count.json").json()["by_country"] == {"FR": 1}
