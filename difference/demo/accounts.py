"""Demo logins: one per role, attached to real partner schools and an invented leader."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt

from difference.accounts.models import Membership, User
from difference.accounts.roles import Role
from difference.people.models import ConsentMethod, ConsentPurpose, ConsentRecord, ConsentStatus, Person
from difference.schools.models import School, Trust
from difference.training.models import Cohort

DEMO_PASSWORD = "difference-demo-2022"

DEMO_USERS = [
    (Role.STAFF_ADMIN, "admin@demo.example.org", "Alex", "Admin"),
    (Role.STAFF_PROGRAMME, "programme@demo.example.org", "Priya", "Programme"),
    (Role.STAFF_RESEARCH, "research@demo.example.org", "Robin", "Research"),
    (Role.ASSESSOR, "assessor@demo.example.org", "Sam", "Assessor"),
    (Role.LEADER, "leader@demo.example.org", "", ""),
    (Role.APPLICANT, "applicant@demo.example.org", "Ada", "Applicant"),
    (Role.HEADTEACHER, "head@demo.example.org", "Hilary", "Head"),
    (Role.TRUST_PARTNER, "trust@demo.example.org", "Terry", "Trust"),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    totp_secret: str
    recovery_codes: list[str]


def load_logins(*, leader: Person | None, cohort: Cohort | None, trust: Trust | None) -> list[DemoLogin]:
    logins = []
    for role, email, first, last in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"username": email, "role": role, "first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == Role.STAFF_ADMIN
        user.save()
        user.mark_email_verified()
        _attach(user, leader=leader, cohort=cohort, trust=trust)
        secret, codes = _ensure_mfa(user) if user.requires_mfa else ("", [])
        logins.append(DemoLogin(role, email, DEMO_PASSWORD, secret, codes))
    return logins


def _attach(user: User, *, leader: Person | None, cohort: Cohort | None, trust: Trust | None) -> None:
    school: School | None = leader.school if leader is not None else None
    if user.role == Role.LEADER and leader is not None:
        user.first_name, user.last_name = leader.first_name, leader.last_name
        user.save(update_fields=["first_name", "last_name"])
        Person.objects.filter(user=user).exclude(pk=leader.pk).update(user=None)
        leader.user = user
        leader.save(update_fields=["user"])
        if school is not None:
            Membership.objects.get_or_create(user=user, school=school)
        if cohort is not None:
            Membership.objects.get_or_create(user=user, cohort=cohort)
    elif user.role == Role.HEADTEACHER and school is not None:
        Membership.objects.get_or_create(user=user, school=school)
    elif user.role == Role.TRUST_PARTNER and trust is not None:
        Membership.objects.get_or_create(user=user, trust=trust)
    elif user.role == Role.APPLICANT:
        person, created = Person.objects.get_or_create(
            email=user.email, defaults={"first_name": user.first_name, "last_name": user.last_name, "user": user}
        )
        if created:
            ConsentRecord.objects.create(
                person=person, purpose=ConsentPurpose.CONTACT, status=ConsentStatus.GIVEN, method=ConsentMethod.WEB_FORM
            )
            ConsentRecord.objects.create(
                person=person,
                purpose=ConsentPurpose.BULLETIN,
                status=ConsentStatus.GIVEN,
                method=ConsentMethod.WEB_FORM,
            )


def _ensure_mfa(user: User) -> tuple[str, list[str]]:
    """Give the demo account an authenticator (MFA stays required) and return what a person needs to log in."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = TOTP.activate(user, generate_totp_secret()).instance
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return decrypt(totp.data["secret"]), codes
