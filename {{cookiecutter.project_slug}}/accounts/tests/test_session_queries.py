"""The SQL of accounts.session_queries agrees with its ORM reference, LoginSession.objects.live(), in every state."""

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.models import LoginSession, User
from accounts.services import end_all_sessions, end_session
from accounts.session_queries import is_live_session, rotate_live_session, user_of_live_session

from .utils import create_user, new_session

pytestmark = pytest.mark.django_db


def end_it(session: LoginSession) -> None:
    end_session(session_id=session.pk)


def expire_it(session: LoginSession) -> None:
    LoginSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def deactivate_its_user(session: LoginSession) -> None:
    User.objects.filter(pk=session.user_id).update(is_active=False)


def end_every_session_of_its_user(session: LoginSession) -> None:
    end_all_sessions(user=session.user)


def leave_it(session: LoginSession) -> None:
    """A live session, untouched."""


STATES: list[Callable[[LoginSession], None]] = [
    leave_it,
    end_it,
    expire_it,
    deactivate_its_user,
    end_every_session_of_its_user,
]


@pytest.fixture
def session():
    user = create_user("ada@example.com")
    create_user("bob@example.com")  # whose rows the queries must not mix in
    token = new_session(user)
    return LoginSession.objects.get(pk=token["sid"])


@pytest.mark.parametrize("change", STATES)
def test_the_user_of_a_session_comes_back_exactly_when_live_finds_the_session(session, change):
    change(session)
    live = LoginSession.objects.live().filter(pk=session.pk, user_id=session.user_id).exists()

    user = user_of_live_session(session.pk, session.user_id)

    assert (user is not None) is live is is_live_session(session.pk, session.user_id)
    assert user is None or (user.pk, user.email, user.is_active) == (session.user_id, "ada@example.com", True)


def test_the_user_comes_back_with_the_fields_and_types_the_orm_gives(session):
    user = user_of_live_session(session.pk, session.user_id)

    assert user is not None
    expected = User.objects.get(pk=session.user_id)
    assert {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields} == {
        field.attname: getattr(expected, field.attname) for field in User._meta.concrete_fields
    }
    assert timezone.is_aware(user.date_joined)
    # Loaded from the database, as the ORM would: saving it updates its row.
    assert (user._state.adding, user._state.db) == (False, "default")


def test_a_session_is_not_found_with_another_users_id(session):
    other = User.objects.get(email="bob@example.com")

    assert user_of_live_session(session.pk, other.pk) is None
    assert not is_live_session(session.pk, other.pk)


def test_an_unknown_session_is_not_found(session):
    assert user_of_live_session(uuid.uuid4(), session.user_id) is None
    assert not is_live_session(uuid.uuid4(), session.user_id)


@pytest.mark.parametrize("change", STATES)
def test_a_session_rotates_exactly_when_live_finds_it_and_the_generation_is_current(session, change):
    change(session)
    live = LoginSession.objects.live().filter(pk=session.pk).exists()
    now = timezone.now()
    later = now + timedelta(days=1)

    rotated = rotate_live_session(
        session_id=session.pk, user_id=session.user_id, generation=session.generation, expires_at=later, now=now
    )

    assert rotated is live
    after = LoginSession.objects.get(pk=session.pk)
    if live:
        assert (after.generation, after.rotated_at, after.last_used_at, after.expires_at) == (
            session.generation + 1,
            now,
            now,
            later,
        )
    else:
        assert after.generation == session.generation


def test_only_the_current_generation_of_the_right_user_rotates(session):
    other = User.objects.get(email="bob@example.com")
    now = timezone.now()
    later = now + timedelta(days=1)
    LoginSession.objects.filter(pk=session.pk).update(generation=F("generation") + 1)

    stale = rotate_live_session(
        session_id=session.pk, user_id=session.user_id, generation=session.generation, expires_at=later, now=now
    )
    foreign = rotate_live_session(
        session_id=session.pk, user_id=other.pk, generation=session.generation + 1, expires_at=later, now=now
    )

    assert (stale, foreign) == (False, False)
    assert LoginSession.objects.get(pk=session.pk).generation == session.generation + 1
