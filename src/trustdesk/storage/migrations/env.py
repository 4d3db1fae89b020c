"""Alembic environment: runs migrations on the engine handed over by ``storage.db.upgrade_database``."""
from alembic import context
from sqlalchemy import create_engine

from trustdesk.storage.tables import metadata

engine = context.config.attributes.get("engine")
if engine is None:
    # Invoked from the alembic command line (e.g. revision --autogenerate): use the configured URL.
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
