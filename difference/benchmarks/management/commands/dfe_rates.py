"""``manage.py dfe_rates --measure M --level L [--year Y] [--characteristic C] [--format csv|json]``."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.benchmarks.loaders import ALL_MEASURES
from difference.benchmarks.rates import COLUMNS, UnknownChoice, rate_rows


class Command(BaseCommand):
    help = (
        "Rates per 100 (pupils, enrolments or sessions possible) from loaded DfE statistics. basis=computed: "
        "100 x numerator / denominator, rounded as DfE rounds; basis=published: DfE's own rate, because the file's "
        "counts are rounded (check says whether it lies within what the rounded counts allow). Suppressed inputs "
        "give 'not available', never 0. Counts DfE publishes without a rate (the alternative provision measures) "
        "are listed with rate 'not available'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--measure", required=True, choices=list(ALL_MEASURES))
        parser.add_argument("--level", required=True, help="national, regional, local authority (or la), school")
        parser.add_argument("--year", help="academic year, 2016/17 or 201617")
        parser.add_argument(
            "--characteristic",
            help="e.g. Total (the default in files without characteristics), “Autumn term”, “Gender: Male”",
        )
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = rate_rows(
                measure=options["measure"],
                level=options["level"],
                year=options["year"],
                characteristic=options["characteristic"],
            )
            if options["format"] == "json":
                self.stdout.write(json.dumps(list(rows), indent=1))
                return
            writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        except UnknownChoice as exc:
            raise CommandError(str(exc)) from exc
