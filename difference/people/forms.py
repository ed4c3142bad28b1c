from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest

from difference.people.models import ConsentMethod, ConsentPurpose, ConsentStatus


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    status = forms.ChoiceField(choices=ConsentStatus.choices, label="Consent")
    method = forms.ChoiceField(choices=ConsentMethod.choices, label="How it was given or withdrawn")
    note = forms.CharField(max_length=255, required=False)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the names a new person record needs.

    The names are kept on the login until its address is verified; only then is a person record made or
    found (``services.link_login_to_person``), so an unverified sign-up touches no one's data.
    """

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        email = self.cleaned_data["email"].lower()
        if not ratelimit.consume(request, action="signup_address", key=email):
            raise ImmediateHttpResponse(ratelimit.respond_429(request))
        if self.account_already_exists:
            # allauth answers a known address without making a login; hash the password anyway, so the
            # answer takes as long as a new sign-up's and its timing says nothing about the address.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

    def custom_signup(self, request: HttpRequest, user: Any) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])
