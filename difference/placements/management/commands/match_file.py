"""``manage.py match_file INSTANCE.json [--proposing candidates|schools]``: run the matching engine on a file.

For trying the engine on an instance by hand or from a script, without a database: the file is read,
matched, checked for blocking pairs and explained, and the result is printed as JSON on stdout. Bad
input stops with a ``CommandError`` (non-zero exit status) that says what to fix. Nothing here touches
the database, so it runs on a machine with no database set up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.placements.matching import (
    PROPOSING_SIDES,
    InstanceError,
    Proposing,
    parse_instance,
    result_to_json,
    run,
)


class Command(BaseCommand):
    help = (
        "Match candidates to vacancies from a JSON file "
        '({"candidates": {id: [vacancy ids]}, "vacancies": {id: {"capacity": n, "ranking": [candidate ids]}}}) '
        "and print the matching, the stability check and the explanations as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", type=Path, help="the instance, a UTF-8 JSON file")
        parser.add_argument(
            "--proposing",
            choices=PROPOSING_SIDES,
            default="candidates",
            help="which side proposes, i.e. gets its best stable outcome (default: candidates)",
        )

    def handle(self, *args: Any, instance: Path, proposing: Proposing, **options: Any) -> None:
        try:
            # utf-8-sig: UTF-8, tolerating the byte-order mark some Windows editors add.
            text = instance.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {instance}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{instance} is not UTF-8 text (byte {exc.start} cannot be decoded).") from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {instance}: {exc.strerror or exc}") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{instance} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
            ) from exc
        try:
            parsed = parse_instance(data)
        except InstanceError as exc:
            raise CommandError(f"{instance} is not a usable instance: {exc}") from exc
        result = run(parsed, proposing=proposing)
        self.stdout.write(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
