from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from difference.accounts.roles import Role


class AccountAdapter(DefaultAccountAdapter):
    """The login side of allauth: anyone may sign up, as an applicant, and reaches nothing until their
    address is verified. Staff, assessors, headteachers and trust partners get their logins from the charity."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # Whatever a sign-up form posts, a sign-up makes an applicant and nothing more.
        user.role = Role.APPLICANT
        user.is_staff = user.is_superuser = False
        return super().save_user(request, user, form, commit=commit)
