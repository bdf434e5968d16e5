"""Fixtures of the integration tests: the app over the real pack, served in-process (memory cache only)."""

from __future__ import annotations

import dataclasses

import pytest


@pytest.fixture(scope="module")
def app(settings):
    from app import create_app

    return create_app(dataclasses.replace(settings, cache_dir=None))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()
