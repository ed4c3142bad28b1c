"""Create (idempotently) a staff-admin user with TOTP, an API token and a little data, for CI and benchmarks.

The token is the only thing written to stdout, so ``TOKEN=$(manage.py create_api_fixture)``
works; progress goes to stderr. It refuses to run against a production
configuration (``DJANGO_DEBUG`` false) unless ``--force`` is given.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from difference.accounts.models import User
from difference.accounts.roles import Role
from difference.people.models import Person
from difference.schools.models import LocalAuthority, School, SchoolCategory, Trust

DEFAULT_EMAIL = "api-fixture@example.org"
_CATEGORIES = [SchoolCategory.PRU, SchoolCategory.AP_ACADEMY, SchoolCategory.MAINSTREAM, SchoolCategory.SPECIAL]


class Command(BaseCommand):
    help = "Create a staff-admin user with TOTP and a few schools and people; print the user's API token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=DEFAULT_EMAIL, help=f"the user's email (default {DEFAULT_EMAIL})")
        parser.add_argument("--schools", type=int, default=5, help="how many fixture schools to ensure (default 5)")
        parser.add_argument("--people", type=int, default=5, help="how many fixture people to ensure (default 5)")
        parser.add_argument("--force", action="store_true", help="run even though DJANGO_DEBUG is false")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to create a fixture admin and token with DJANGO_DEBUG false; pass --force.")
        with transaction.atomic():
            user = self._user(options["email"])
            token, _ = Token.objects.get_or_create(user=user)
            self._data(options["schools"], options["people"])
        self.stderr.write(f"API fixture ready: {user.email} (staff_admin, TOTP on), token printed on stdout")
        self.stdout.write(token.key)

    def _user(self, email: str) -> User:
        user, created = User.objects.get_or_create(
            email=email.lower(),
            defaults={"username": email.lower(), "role": Role.STAFF_ADMIN, "is_staff": True, "first_name": "API"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        elif user.role != Role.STAFF_ADMIN or not user.is_active:
            raise CommandError(f"{email} exists but is not an active staff admin; choose another --email.")
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        return user

    def _data(self, schools: int, people: int) -> None:
        authority, _ = LocalAuthority.objects.get_or_create(
            code="999", defaults={"name": "Fixture Borough", "region": "London"}
        )
        trust, _ = Trust.objects.get_or_create(uid=999001, defaults={"name": "Fixture Academy Trust"})
        fixture_schools = []
        for n in range(schools):
            school, _ = School.objects.get_or_create(
                urn=990000 + n,
                defaults={
                    "name": f"Fixture Academy {n + 1}",
                    "category": _CATEGORIES[n % len(_CATEGORIES)],
                    "local_authority": authority,
                    "region": "London",
                    "trust": trust if n % 2 == 0 else None,
                    "pupils": 100 + 10 * n,
                    "status": "Open",
                },
            )
            fixture_schools.append(school)
        for n in range(people):
            Person.objects.get_or_create(
                email=f"fixture-person-{n + 1}@example.org",
                defaults={
                    "first_name": "Fixture",
                    "last_name": f"Person {n + 1}",
                    "school": fixture_schools[n % len(fixture_schools)] if fixture_schools else None,
                },
            )
