from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from microcred import Microcred, Settings
from microcred.domain.account import UserData
from microcred.domain.vocab import Role
from microcred.errors import Conflict, InvalidInput, NotFound, TooManyAttempts, Unauthorized
from microcred.store.schema import sessions, users
from tests.conftest import PASSWORD, make_org, make_user


def test_passwords_are_stored_as_argon2_hashes(mc: Microcred) -> None:
    user = make_user(mc, Role.LEARNER, email="ada@example.ca")
    with mc.store.read() as conn:
        stored = conn.execute(users.select().where(users.c.id == user.id)).one()._mapping
    assert stored["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in stored["password_hash"]
    assert "password_hash" not in user.model_dump()


def test_login_opens_a_session_that_logout_closes(mc: Microcred) -> None:
    make_user(mc, Role.LEARNER, email="Ada@Example.ca")
    session = mc.accounts.login("ada@example.ca", PASSWORD)
    found = mc.accounts.session(session.cookie_value)
    assert (
        found is not None and found[0].email == "ada@example.ca" and found[1] == session.csrf_token
    )
    mc.accounts.logout(session.cookie_value)
    assert mc.accounts.session(session.cookie_value) is None


def test_the_session_table_holds_only_hashes(mc: Microcred) -> None:
    make_user(mc, Role.LEARNER, email="ada@example.ca")
    session = mc.accounts.login("ada@example.ca", PASSWORD)
    with mc.store.read() as conn:
        ids = [r.id for r in conn.execute(sessions.select())]
    assert session.cookie_value not in ids and len(ids) == 1


@pytest.mark.parametrize(
    ("email", "password"), [("ada@example.ca", "wrong-password"), ("nobody@example.ca", PASSWORD)]
)
def test_wrong_credentials_do_not_say_which_part_was_wrong(
    mc: Microcred, email: str, password: str
) -> None:
    make_user(mc, Role.LEARNER, email="ada@example.ca")
    with pytest.raises(Unauthorized, match="wrong email or password"):
        mc.accounts.login(email, password)


def test_expired_sessions_are_refused(mc: Microcred) -> None:
    make_user(mc, Role.LEARNER, email="ada@example.ca")
    session = mc.accounts.login("ada@example.ca", PASSWORD)
    with mc.store.write() as conn:
        conn.execute(update(sessions).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert mc.accounts.session(session.cookie_value) is None


def test_api_tokens_resolve_until_revoked(mc: Microcred) -> None:
    user = make_user(mc, Role.ADMIN)
    token = mc.accounts.issue_token(user.id, "ci")
    assert token.secret.startswith("mct_")
    found = mc.accounts.token_user(token.secret)
    assert found is not None and found.id == user.id
    assert mc.accounts.token_user("mct_unknown") is None
    assert mc.accounts.token_user("not-a-token") is None
    mc.accounts.revoke_token(token.id)
    assert mc.accounts.token_user(token.secret) is None
    with pytest.raises(NotFound):
        mc.accounts.revoke_token(token.id)


def test_weak_passwords_and_duplicate_emails_are_refused(mc: Microcred) -> None:
    data = UserData(email="ada@example.ca", display_name="Ada", role=Role.LEARNER)
    with pytest.raises(InvalidInput, match="too short"):
        mc.accounts.create_user(data, "short")
    mc.accounts.create_user(data, PASSWORD)
    with pytest.raises(Conflict):
        mc.accounts.create_user(data, PASSWORD)


def test_provider_staff_belong_to_exactly_one_organization(mc: Microcred) -> None:
    org = make_org(mc)
    with pytest.raises(ValueError, match="must belong to an organization"):
        UserData(email="p@example.ca", display_name="P", role=Role.PROVIDER)
    with pytest.raises(ValueError, match="only provider staff"):
        UserData(email="p@example.ca", display_name="P", role=Role.LEARNER, organization_id=org.id)
    staff = make_user(mc, Role.PROVIDER, org)
    assert staff.may_edit_organization(org.id) and not staff.may_edit_organization(org.id + 1)


def test_repeated_failures_pause_logins_for_that_email(settings: Settings) -> None:
    from sqlalchemy import update as sql_update

    from microcred.store.schema import login_failures

    with Microcred(settings.model_copy(update={"login_max_failures": 3})) as mc:
        make_user(mc, Role.LEARNER, email="ada@example.ca")
        for _ in range(3):
            with pytest.raises(Unauthorized):
                mc.accounts.login("ada@example.ca", "wrong-password")
        with pytest.raises(TooManyAttempts, match="try again in 15 minutes"):
            mc.accounts.login("ADA@example.ca", PASSWORD)  # even the right password waits
        make_user(mc, Role.LEARNER, email="bob@example.ca")
        assert mc.accounts.login("bob@example.ca", PASSWORD).user.email == "bob@example.ca"
        with mc.store.write() as conn:  # the pause ends when the failures age out
            conn.execute(
                sql_update(login_failures).values(
                    failed_at=datetime.now(UTC) - timedelta(minutes=16)
                )
            )
        assert mc.accounts.login("ada@example.ca", PASSWORD).user.email == "ada@example.ca"
        with mc.store.read() as conn:
            assert conn.execute(login_failures.select()).all() == []  # cleared by the success


def test_unknown_emails_are_throttled_too(settings: Settings) -> None:
    with Microcred(settings.model_copy(update={"login_max_failures": 2})) as mc:
        for _ in range(2):
            with pytest.raises(Unauthorized):
                mc.accounts.login("nobody@example.ca", "x" * 12)
        with pytest.raises(TooManyAttempts):
            mc.accounts.login("nobody@example.ca", "x" * 12)
