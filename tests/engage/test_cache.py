"""engage.cache.RedisCache: Django's Redis cache, with one Redis client per connection pool.

Against a real Redis (database 13 of 127.0.0.1:6379, emptied); skipped when none answers.
"""

import pytest

from engage.cache import RedisCache

URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    cache = RedisCache(URL, {"KEY_PREFIX": "engage-test"})
    yield cache
    cache.clear()
    cache.close()


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b", write=True) is client


def test_reads_and_writes_as_django_redis_cache_does(redis_cache):
    redis_cache.set("page", {"body": b"<p>Hello</p>", "status": 200}, 30)
    redis_cache.set_many({"one": 1, "two": "zwei"}, 30)
    assert redis_cache.get("page") == {"body": b"<p>Hello</p>", "status": 200}
    assert redis_cache.get_many(["one", "two", "missing"]) == {"one": 1, "two": "zwei"}
    assert redis_cache.add("one", 9) is False
    assert redis_cache.incr("one") == 2
    redis_cache.delete("page")
    assert redis_cache.get("page", "gone") == "gone"
