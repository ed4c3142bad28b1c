"""The site's allauth adapter: the moment an address is verified is the moment a login meets its person."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from difference.accounts.adapters import AccountAdapter as LoginAdapter
from difference.people import services


class AccountAdapter(LoginAdapter):
    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        """Verify the address and, in the same transaction, link the login to the person with that address.

        This is allauth's one hook for a verification by link (the only kind enabled here), so it is where
        the link is made; nothing before it ties a new login to anyone.
        """
        with transaction.atomic():
            confirmed = super().confirm_email(request, email_address)
            if confirmed:
                services.link_login_to_person(
                    user=email_address.user, email=email_address.email, source="email verification", request=request
                )
        return bool(confirmed)
