"""The queries of every authenticated request and every refresh, as SQL built once.

Built with the ORM on each call, the one query of an authenticated request
cost about ten times what the database then took to answer it: half the time
of user/. These functions make the same queries from SQL that is built once per
database vendor from the models' tables and columns. Each keeps to an ORM
definition, which stays the reference: LoginSession.objects.live().
accounts/tests/test_session_queries.py holds them to it for every way a session
can end.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any, cast

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import Col
from django.utils import timezone

from .models import LoginSession, User

# The user's fields in the order live_session_sql() selects their columns.
USER_ATTNAMES = [field.attname for field in User._meta.concrete_fields]


def user_of_live_session(session_id: uuid.UUID, user_id: object) -> User | None:
    """The user of the live session with this id and user id, or None."""
    with connection.cursor() as cursor:
        cursor.execute(live_session_sql(select_user=True), live_session_parameters(session_id, user_id))
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    # As the ORM does with what a query returns: SQLite, for one, gives datetimes as text.
    for position, converters, column in user_converters():
        for convert in converters:
            values[position] = convert(values[position], column, connection)
    return User.from_db(connection.alias, USER_ATTNAMES, values)


def is_live_session(session_id: uuid.UUID, user_id: object) -> bool:
    """Whether the session with this id and user id is live: user_of_live_session() without loading the user."""
    with connection.cursor() as cursor:
        cursor.execute(live_session_sql(), live_session_parameters(session_id, user_id))
        return cursor.fetchone() is not None


def rotate_live_session(
    *, session_id: uuid.UUID, user_id: object, generation: int, expires_at: datetime, now: datetime
) -> bool:
    """Move a live session from the refresh token of this generation to the next one; whether this call did.

    Of two calls for the same generation, only one finds the row to update.
    """
    session_pk, user_pk = primary_keys(session_id, user_id)
    moment, expiry = (connection.ops.adapt_datetimefield_value(value) for value in (now, expires_at))
    with connection.cursor() as cursor:
        cursor.execute(rotate_sql(), [moment, moment, expiry, session_pk, user_pk, generation, moment, user_pk])
        return bool(cursor.rowcount == 1)


def live_session_parameters(session_id: uuid.UUID, user_id: object) -> list[Any]:
    return [*primary_keys(session_id, user_id), connection.ops.adapt_datetimefield_value(timezone.now())]


def primary_keys(session_id: uuid.UUID, user_id: object) -> tuple[Any, Any]:
    """A session's and a user's primary keys as the database stores them."""
    return (
        LoginSession._meta.pk.get_db_prep_value(session_id, connection),
        User._meta.pk.get_db_prep_value(user_id, connection),
    )


def columns(model: type[Model], alias: str | None = None) -> dict[str, str]:
    """Each concrete field's column, quoted, and qualified by alias (the table's name, or another) if given."""
    quote = connection.ops.quote_name
    qualifier = f"{quote(alias)}." if alias else ""
    return {field.name: qualifier + quote(cast(str, field.column)) for field in model._meta.concrete_fields}


# The SQL is built at its first use, for the database the project runs on;
# identifiers come from the models, values are always parameters.
@cache
def live_session_sql(*, select_user: bool = False) -> str:
    """A live session by its id and user id (then now): its user's columns, or 1."""
    quote = connection.ops.quote_name
    user, session = columns(User, "u"), columns(LoginSession, "s")
    return (
        f"SELECT {', '.join(user.values()) if select_user else '1'}"  # noqa: S608
        f" FROM {quote(LoginSession._meta.db_table)} {quote('s')}"
        f" INNER JOIN {quote(User._meta.db_table)} {quote('u')} ON {user['id']} = {session['user']}"
        f" WHERE {session['id']} = %s AND {session['user']} = %s"
        f" AND {session['ended_at']} IS NULL AND {session['expires_at']} > %s"
        f" AND {user['is_active']} AND {session['epoch']} = {user['session_epoch']}"
    )


@cache
def user_converters() -> list[tuple[int, list[Callable[..., Any]], Col]]:
    """What turns each column of the user that live_session_sql() selects into its field's value, by position."""
    converters = []
    for position, field in enumerate(User._meta.concrete_fields):
        column = field.get_col(User._meta.db_table)
        if found := connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            converters.append((position, found, column))
    return converters


@cache
def rotate_sql() -> str:
    """The next generation for a live session by id, user id and generation (then now, user id again).

    Sets rotated_at, last_used_at and expires_at, in that order.
    """
    quote = connection.ops.quote_name
    user_table, session_table = User._meta.db_table, LoginSession._meta.db_table
    user, session = columns(User, user_table), columns(LoginSession, session_table)
    # SET names its columns unqualified, as PostgreSQL requires.
    bare = columns(LoginSession)
    return (
        f"UPDATE {quote(session_table)}"  # noqa: S608
        f" SET {bare['generation']} = {bare['generation']} + 1, {bare['rotated_at']} = %s,"
        f" {bare['last_used_at']} = %s, {bare['expires_at']} = %s"
        f" WHERE {session['id']} = %s AND {session['user']} = %s AND {session['generation']} = %s"
        f" AND {session['ended_at']} IS NULL AND {session['expires_at']} > %s"
        f" AND {session['epoch']} = (SELECT {user['session_epoch']} FROM {quote(user_table)}"
        f" WHERE {user['id']} = %s AND {user['is_active']})"
    )
