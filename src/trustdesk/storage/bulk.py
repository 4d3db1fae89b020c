"""Inserting many rows at once through the driver, as plain tuples.

SQLAlchemy's executemany handles every row's parameters one by one (names, defaults, type processing),
which is a large share of an ingest: a batch of 500 interactions writes thousands of rows. The statements
here are built once per table, column list and dialect; a row is a tuple in the order of ``columns``, and
only the values the driver cannot take as they are go through the column type's own bind processing (JSON
text, datetimes and booleans on SQLite), so what is stored is what a SQLAlchemy insert stores.

Omitted columns get their server default or NULL: a column with a Python-side default must be given.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Column, Connection, Dialect, Table
from sqlalchemy.exc import DBAPIError

# A multi-row statement (SQLite) stays within SQLite's bound parameter limit (SQLITE_MAX_VARIABLE_NUMBER
# since 3.32) and SQLAlchemy's own insertmanyvalues page size.
_MAX_PARAMETERS = 32_766
_MAX_ROWS = 1_000
# The driver placeholder of each positional paramstyle (psycopg's pyformat also takes %s).
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


@dataclass(frozen=True)
class _Insert:
    head: str  # INSERT INTO table (columns) VALUES
    row: str  # (?, ?, ...)
    returning: str  # " RETURNING ..." or ""
    # (position, converter) for the values the driver cannot take as they are.
    converters: tuple[tuple[int, Callable], ...]
    rows_per_statement: int


_inserts: dict[tuple, _Insert] = {}


def driver_placeholder(dialect: Dialect) -> str:
    """The positional parameter marker of the dialect's driver, for SQL sent with plain tuples."""
    return _PLACEHOLDERS[dialect.paramstyle]


def bind_converters(dialect: Dialect, columns: Sequence[Column]) -> tuple[tuple[int, Callable], ...]:
    """(position, converter) for the columns whose values the driver cannot take as they are."""
    return tuple(
        (position, converter)
        for position, column in enumerate(columns)
        if (converter := column.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    )


def _insert_for(connection: Connection, table: Table, columns: tuple[str, ...],
                returning: tuple[str, ...]) -> _Insert:
    dialect = connection.dialect
    cache_key = (dialect.name, dialect.driver, table.fullname, columns, returning)
    cached = _inserts.get(cache_key)
    if cached is not None:
        return cached
    defaulted = [column.name for column in table.c
                 if column.default is not None and column.name not in columns]
    if defaulted:
        raise ValueError(f"bulk insert into {table.name} must set {', '.join(defaulted)}: "
                         "they have Python-side defaults")
    quote = dialect.identifier_preparer.quote
    placeholder = driver_placeholder(dialect)
    statement = _Insert(
        head=(f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
              f"({', '.join(quote(name) for name in columns)}) VALUES "),
        row=f"({', '.join(placeholder for _ in columns)})",
        returning=f" RETURNING {', '.join(quote(name) for name in returning)}" if returning else "",
        converters=bind_converters(dialect, [table.c[name] for name in columns]),
        rows_per_statement=max(1, min(_MAX_ROWS, _MAX_PARAMETERS // len(columns))),
    )
    _inserts[cache_key] = statement
    return statement


def _converted(statement: _Insert, rows: Sequence[tuple]) -> list[tuple]:
    if not statement.converters:
        return list(rows)
    converted = []
    for row in rows:
        values = list(row)
        for position, converter in statement.converters:
            values[position] = converter(values[position])
        converted.append(tuple(values))
    return converted


def insert_rows(connection: Connection, table: Table, columns: tuple[str, ...],
                rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` with one executemany."""
    if rows:
        statement = _insert_for(connection, table, columns, ())
        connection.exec_driver_sql(statement.head + statement.row, _converted(statement, rows))


def insert_rows_returning(connection: Connection, table: Table, columns: tuple[str, ...],
                          rows: Sequence[tuple], returning: tuple[str, ...]) -> list[tuple]:
    """Insert ``rows`` as ``insert_rows`` does; the ``returning`` columns of the new rows, in any order.

    Callers match the returned rows by a key among ``returning``.
    """
    if not rows:
        return []
    statement = _insert_for(connection, table, columns, returning)
    values = _converted(statement, rows)
    if connection.dialect.driver == "psycopg":
        return _pipelined_returning(connection, statement, values)
    # SQLite's executemany cannot return rows: multi-row VALUES statements do.
    returned: list[tuple] = []
    page = statement.rows_per_statement
    for start in range(0, len(values), page):
        chunk = values[start : start + page]
        sql = statement.head + ", ".join([statement.row] * len(chunk)) + statement.returning
        parameters = tuple(value for row in chunk for value in row)
        returned.extend(map(tuple, connection.exec_driver_sql(sql, parameters)))
    return returned


def _pipelined_returning(connection: Connection, statement: _Insert, values: list[tuple]) -> list[tuple]:
    """psycopg's executemany with ``returning``: one single-row INSERT per row, sent as one pipeline.

    psycopg parses the query text of every new statement, and a multi-row VALUES statement of a batch has
    thousands of placeholders (tens of milliseconds of parsing each time); the single-row statement is
    parsed once and prepared. SQLAlchemy's executemany returns no rows, so the driver cursor is used, and
    its errors are raised as SQLAlchemy's (an IntegrityError stays one for the callers that retry on it).
    """
    sql = statement.head + statement.row + statement.returning
    dbapi = connection.dialect.loaded_dbapi
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(sql, values, returning=True)
        returned = [tuple(row) for row in cursor.fetchall()]
        while cursor.nextset():
            returned.extend(tuple(row) for row in cursor.fetchall())
        return returned
    except dbapi.Error as error:
        raise DBAPIError.instance(sql, values, error, dbapi.Error, dialect=connection.dialect, ismulti=True,
                                  hide_parameters=connection.engine.hide_parameters) from error
    finally:
        cursor.close()
