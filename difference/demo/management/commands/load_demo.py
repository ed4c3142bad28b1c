"""Load the demo charity: real partner schools, invented people, one login per role.

Idempotent: running it again updates the same records rather than adding more.
The demo app holds a module per domain app (``demo/training.py`` for training, and so on); a new app adds its own.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from difference.accounts.roles import Role
from difference.core.progress import progress_for
from difference.demo.accounts import DemoLogin, attach_logins, load_logins, login_for
from difference.demo.benchmarks import load_benchmarks
from difference.demo.careers import load_careers
from difference.demo.consultancy import load_consultancy
from difference.demo.placements import load_round
from difference.demo.projects import load_projects
from difference.demo.recruitment import load_open_round, load_recruitment, summary
from difference.demo.schools import ARK_TRUST_UID, PartnerSchools, load_partner_schools
from difference.demo.training import PLACED_YEAR, load_dlp_cohorts, load_ilc_cohort, load_training
from difference.schools.models import Trust
from difference.training.models import EnrolmentStatus


class Command(BaseCommand):
    help = "Create or refresh the demo charity and print its logins."

    def handle(self, *args: Any, **options: Any) -> None:
        say = self.stdout.write
        # The services send email on commit, when this block ends and any override inside a demo has ended too;
        # wrapping the whole block keeps the invented people from being emailed (or printed by the console backend).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            partners = load_partner_schools(say=say)
            self._say_partners(partners)
            # The logins come first: the programme team's login records the training demo's registers and
            # certificates. They are attached to their schools, cohort and trust once those exist.
            logins = load_logins()
            programme = login_for(logins, Role.STAFF_PROGRAMME)
            cohorts = load_dlp_cohorts(
                ap_schools=list(partners.leader_schools.values()),
                mainstream_schools=list(partners.alumni_schools.values()),
                by=programme,
            )
            # Recruitment comes before placements, and placements before the 2022 cohort's training: accepting a
            # 2022 offer makes its holder a placement candidate, and publishing the match enrols the placed leaders.
            load_recruitment(cohorts=cohorts)
            leaders_2022 = cohorts.leaders_by_year[PLACED_YEAR]
            placement = load_round(
                cohort=cohorts.cohorts[PLACED_YEAR],
                leaders=leaders_2022,
                leader_schools=list(partners.leader_schools.values()),
                say=say,
            )
            for year, cohort in cohorts.cohorts.items():
                enrolled = cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
                say(f"DLP {year}: {enrolled} leaders (target {cohort.target_size})")
            say(load_training(cohorts, by=programme).summary())
            say(load_ilc_cohort(by=programme).summary())
            if placement.run is not None:
                say(
                    f"Placements {placement.placement_round.year}: {placement.placed} placed against a target of "
                    f"{placement.placement_round.target_posts} ({placement.new_partners} new partner schools); "
                    f"stability check {'passed' if placement.run.is_stable else 'FAILED'}."
                )
            say(summary(PLACED_YEAR))
            for leader in leaders_2022:
                leader.refresh_from_db(fields=["school"])
            attach_logins(
                logins,
                leader=leaders_2022[0] if leaders_2022 else None,
                cohort=cohorts.cohorts[PLACED_YEAR],
                trust=Trust.objects.filter(uid=ARK_TRUST_UID).first(),
            )
            say(load_benchmarks(progress=progress_for(self.stdout) if options["verbosity"] > 0 else None))
            say(load_consultancy())
            say(load_projects(cohorts.cohorts).summary())
            say(load_careers(cohorts.cohorts).summary())
            # The round open now gives the demo assessor and applicant logins something to do.
            load_open_round(assessor=login_for(logins, Role.ASSESSOR), applicant=login_for(logins, Role.APPLICANT))
        self._print_logins(logins)

    def _say_partners(self, partners: PartnerSchools) -> None:
        say = self.stdout.write
        say(
            f"Partner schools: {len(partners.leader_schools)} of 20 AP leader schools and "
            f"{len(partners.alumni_schools)} of 10 mainstream alumni schools matched to URNs."
        )
        for name, school in {**partners.leader_schools, **partners.alumni_schools}.items():
            say(f"  matched  {name} → {school.name} (URN {school.urn})")
        for name in partners.unmatched:
            say(f"  unmatched  {name} (no school of that name in the registry)")
        say(f"Ark-named academies linked to the ARK Schools trust: {partners.ark_schools_linked}")
        say(
            f"Academies linked to {partners.named_trusts} other trusts by name: "
            f"{partners.named_trust_schools_linked} this run"
        )

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        say = self.stdout.write
        say("")
        say(self.style.SUCCESS("Demo logins (all use the same password):"))
        say(f"  password: {logins[0].password}")
        for login in logins:
            say(f"  {login.role:<16} {login.email}")
            if login.totp_secret:
                say(f"      TOTP secret (add to an authenticator app): {login.totp_secret}")
                say(f"      recovery codes: {' '.join(login.recovery_codes)}")
        say("Accounts with a TOTP secret must enter a code from it after the password (MFA stays on).")
