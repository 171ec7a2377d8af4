"""Import Open Referral UK 3.0 services (DESIGN §6). All or nothing; acts as the system actor."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.importer import Reader, ServiceImportError, service_objects, validation_message
from directory.services import organisation_upsert, service_upsert
from partnership.services import system_actor


class Command(BaseCommand):
    help = (
        "Import services from an ORUK 3.0 JSON file (a list of full services or a page with "
        "`contents`). Upserts by id; published unless --draft."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--draft", action="store_true", help="Import as drafts for an administrator to publish."
        )

    def handle(self, *args, path: Path, draft: bool, **options) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except json.JSONDecodeError as error:
            raise CommandError(
                f"line {error.lineno}, column {error.colno}: not valid JSON"
            ) from None
        try:
            with transaction.atomic():
                counts, created_agencies = self._import(service_objects(document), draft=draft)
        except ServiceImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts['new']} new and {counts['updated']} updated services"
                f" ({'drafts' if draft else 'published'})."
            )
        )
        for name in created_agencies:
            self.stdout.write(f"Created provider agency: {name}")

    def _import(self, items: list[dict], *, draft: bool) -> tuple[dict[str, int], list[str]]:
        actor = system_actor()
        reader = Reader()
        counts = {"new": 0, "updated": 0}
        created_agencies: list[str] = []
        for number, raw in enumerate(items, start=1):
            parsed = reader.parse(number, raw)
            try:
                organisation, created = organisation_upsert(
                    acting_user=actor,
                    organisation_id=parsed.organisation["id"] or None,
                    name=parsed.organisation["name"],
                    description=parsed.organisation["description"],
                    email=parsed.organisation["email"],
                    website=parsed.organisation["website"],
                )
                _, new = service_upsert(
                    acting_user=actor,
                    service_id=parsed.service_id,
                    organisation=organisation,
                    data=parsed.data,
                    last_checked=parsed.last_checked,
                    publish=not draft,
                )
            except ValidationError as error:
                raise ServiceImportError(number, "(service)", validation_message(error)) from None
            if created:
                created_agencies.append(organisation.agency.name)
            counts["new" if new else "updated"] += 1
        return counts, created_agencies
