"""Demo logins: one per role, attached to real partner schools and an invented leader.

The logins are made first (the staff login records what the programme team does in the other demos) and
attached once the schools, the cohort and the leader exist. There is no service that makes a login: people sign
up through allauth and staff make the charity's own logins in the admin, so the demo makes its logins as the
admin would, proves their addresses as the charity does for logins it makes itself, and turns MFA on through
allauth's own API. The applicant's person record comes through the same service as any proven login's.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt

from difference.accounts.models import Membership, User
from difference.accounts.roles import Role
from difference.demo.records import upsert
from difference.people.models import ConsentMethod, ConsentPurpose, ConsentStatus, Person
from difference.people.services import link_login_to_person, record_consent
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

    @property
    def user(self) -> User:
        return User.objects.get(email=self.email)


def load_logins() -> list[DemoLogin]:
    """A login per role with the demo password, its address proven, and MFA on where the role requires it."""
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
        secret, codes = _ensure_mfa(user) if user.requires_mfa else ("", [])
        logins.append(DemoLogin(role, email, DEMO_PASSWORD, secret, codes))
    return logins


def login_for(logins: list[DemoLogin], role: str) -> User:
    return next(login for login in logins if login.role == role).user


def attach_logins(
    logins: list[DemoLogin], *, leader: Person | None, cohort: Cohort | None, trust: Trust | None
) -> None:
    """Tie the leader, headteacher and trust-partner logins to what their roles reach, and give the applicant
    login its person record."""
    for login in logins:
        _attach(login.user, leader=leader, cohort=cohort, trust=trust)


def _attach(user: User, *, leader: Person | None, cohort: Cohort | None, trust: Trust | None) -> None:
    school: School | None = leader.school if leader is not None else None
    if user.role == Role.LEADER and leader is not None:
        user.first_name, user.last_name = leader.first_name, leader.last_name
        user.save(update_fields=["first_name", "last_name"])
        # Staff tie a login to a person in the admin; link_login_to_person links by address, and the leader's
        # record has an address of its own.
        Person.objects.filter(user=user).exclude(pk=leader.pk).update(user=None)
        leader.user = user
        leader.save(update_fields=["user"])
        if school is not None:
            _membership(user, school=school)
        if cohort is not None:
            _membership(user, cohort=cohort)
    elif user.role == Role.HEADTEACHER and school is not None:
        _membership(user, school=school)
    elif user.role == Role.TRUST_PARTNER and trust is not None:
        _membership(user, trust=trust)
    elif user.role == Role.APPLICANT:
        person = link_login_to_person(user=user, email=user.email, source="the demo's applicant login")
        for purpose in (ConsentPurpose.CONTACT, ConsentPurpose.BULLETIN):
            if person is not None and person.current_consent(purpose) is None:
                record_consent(
                    person=person, purpose=purpose, status=ConsentStatus.GIVEN, method=ConsentMethod.WEB_FORM, by=None
                )


def _membership(user: User, **target: School | Trust | Cohort) -> Membership:
    """Memberships are kept in the admin: a plain record, validated as the admin would."""
    return upsert(Membership, match={"user": user, **target})


def _ensure_mfa(user: User) -> tuple[str, list[str]]:
    """Give the demo account an authenticator (MFA stays required) and return what a person needs to log in."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = TOTP.activate(user, generate_totp_secret()).instance
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return decrypt(totp.data["secret"]), codes
