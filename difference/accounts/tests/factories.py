from __future__ import annotations

from typing import Any

import factory
from allauth.mfa.totp.internal.auth import TOTP

from difference.accounts.models import Membership, User
from difference.accounts.roles import Role

# A fixed base32 secret so tests (and browser tests) can compute valid codes.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.SelfAttribute("email")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.APPLICANT
    is_staff = factory.LazyAttribute(lambda u: u.role == Role.STAFF_ADMIN)
    is_superuser = factory.LazyAttribute(lambda u: u.role == Role.STAFF_ADMIN)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Logins in tests have proven their address unless ``verified_email=False`` is passed."""
        if create and extracted is not False:
            self.mark_email_verified()

    @factory.post_generation
    def with_totp(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Give MFA roles an authenticator unless ``with_totp=False`` is passed."""
        wanted = self.requires_mfa if extracted is None else bool(extracted)
        if create and wanted:
            TOTP.activate(self, TEST_TOTP_SECRET)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
