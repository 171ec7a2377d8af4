"""Create the PostgreSQL database named by DATABASE_URL when it does not exist yet."""

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    help = "Create the database named by DATABASE_URL if it is missing."

    def handle(self, *args, **options) -> None:
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "dbname": "postgres",
        }
        try:
            with psycopg.connect(**params, autocommit=True, connect_timeout=5) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
                ).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                    self.stdout.write(f"Created database {db['NAME']}.")
        except psycopg.OperationalError as error:
            raise CommandError(
                f"Cannot reach PostgreSQL at {params['host']}:{params['port'] or 5432}. "
                "Set DATABASE_URL to a server you can reach, or run `docker compose up`."
            ) from error
