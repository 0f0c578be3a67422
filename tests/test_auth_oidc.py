"""Sign-in through the organisation's identity provider (st.login, OIDC): roles come from the users table."""

from __future__ import annotations

import pytest
import streamlit

from layers.store.audit import AuditFilter, entries
from layers.store.database import Store
from layers.store.users import add_user
from tests.test_app import app, open_box
from tests.test_auth_pages import writing_widgets

# The app tests' fixtures, kept in step with the pages: an own database per test, server-like
# navigation, and a stand-in for the map widget.
from tests.test_app import fake_map, navigation_mode, own_database  # noqa: F401


@pytest.fixture(autouse=True)
def _no_real_map(fake_map):
    return fake_map


AUTH = {"redirect_uri": "https://plan.example.gov.cn/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "weicheng-map", "client_secret": "secret",
        "server_metadata_url": "https://id.example.gov.cn/.well-known/openid-configuration"}


class FakeUser(dict):
    """What ``st.user`` holds after the identity provider signed someone in."""

    @property
    def is_logged_in(self) -> bool:
        return bool(self)


@pytest.fixture
def with_auth(monkeypatch):
    """``[auth]`` in secrets.toml, and whoever the test signs in at the identity provider."""
    monkeypatch.setattr(streamlit.runtime.secrets.secrets_singleton, "_secrets", {"auth": AUTH})
    person = FakeUser()
    monkeypatch.setattr(streamlit, "user", person)
    return person


def test_the_identity_provider_button_appears_only_when_configured(with_auth):
    at = open_box(app(page="pages/projects.py"), "sign_in_open")
    assert "用单位账号登录" in [b.label for b in at.button]


def test_without_auth_in_secrets_only_the_password_form_is_offered():
    at = open_box(app(page="pages/projects.py"), "sign_in_open")
    labels = [b.label for b in at.button]
    assert "用单位账号登录" not in labels and "登录" in labels


def test_an_oidc_user_gets_the_role_of_the_account_with_that_email(own_database, with_auth):
    add_user(Store(own_database).engine, "wang", "approver", email="wang@weicheng.gov.cn", display_name="王审核")
    with_auth.update(email="Wang@weicheng.gov.cn", email_verified=True, iss="https://id.example.gov.cn")
    at = app(page="pages/projects.py")
    assert "已登录：**王审核**（审核）" in [m.value for m in at.sidebar.markdown]
    assert at.get("file_uploader"), "an approver may import"
    [entry] = entries(Store(own_database).engine, AuditFilter(action="sign_in")).to_dict("records")
    assert entry["actor"] == "wang" and "统一登录" in entry["detail"]


def test_an_oidc_user_without_an_account_only_browses(own_database, with_auth):
    with_auth.update(email="stranger@example.com", email_verified=True)
    at = app(page="pages/projects.py")
    assert any("还没有对应的账户" in w.value for w in at.sidebar.warning)
    assert writing_widgets(at) == []


def test_an_unverified_email_is_not_trusted(own_database, with_auth):
    add_user(Store(own_database).engine, "wang", "admin", email="wang@weicheng.gov.cn")
    with_auth.update(email="wang@weicheng.gov.cn", email_verified=False)
    at = app(page="pages/projects.py")
    assert writing_widgets(at) == [] and not at.get("file_uploader")
