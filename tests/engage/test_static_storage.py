"""Production's static files storage gives whitenoise's hashed addresses, each worked out
once per process."""

import json

import pytest

from engage.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {
                "version": "1.1",
                "hash": "abc",
                "paths": {"css/engage.css": "css/engage.6f5b4c770c1c.css"},
            }
        )
    )
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_the_address_is_the_hashed_one_from_the_manifest(storage):
    assert storage.url("css/engage.css") == "/static/css/engage.6f5b4c770c1c.css"


def test_each_address_is_worked_out_once(storage, monkeypatch):
    looked_up = []
    stored_name = storage.stored_name
    monkeypatch.setattr(
        storage, "stored_name", lambda name: looked_up.append(name) or stored_name(name)
    )
    for _ in range(3):
        assert storage.url("css/engage.css") == "/static/css/engage.6f5b4c770c1c.css"
    assert looked_up == ["css/engage.css"]


def test_a_file_missing_from_the_manifest_is_refused_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_what_it_remembers_is_bounded(storage):
    storage.MAX_REMEMBERED = 2
    storage.url("css/engage.css")
    storage._urls.update({"a": "/a", "b": "/b"})
    storage.url("css/engage.css")  # remembered: nothing added
    assert len(storage._urls) == 3
    storage._urls.pop("css/engage.css")
    storage.url("css/engage.css")
    assert storage._urls == {"css/engage.css": "/static/css/engage.6f5b4c770c1c.css"}
