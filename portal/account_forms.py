"""allauth's sign-in forms with GOV.UK labels, hints and markup (set in ACCOUNT_FORMS/MFA_FORMS)."""

from __future__ import annotations

from allauth.account import forms as account_forms
from allauth.core import context, ratelimit
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.recovery_codes import forms as recovery_code_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.webauthn import forms as webauthn_forms
from django.core.exceptions import ValidationError

from portal.forms import GovukFormMixin

SECOND_FACTOR_LIMITED = (
    "You have entered too many codes. Wait 5 minutes, then try again with a new code."
)

CODE_WIDGET_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
    "class": "govuk-input--width-10",
}


class GovukAccountFormMixin(GovukFormMixin):
    """GOV.UK markup, sentence-case labels, and no placeholders (they are not labels)."""

    labels: dict[str, str] = {}
    hints: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            field.help_text = self.hints.get(name, "")
        if "code" in self.fields:
            attrs = self.fields["code"].widget.attrs
            attrs.update({k: v for k, v in CODE_WIDGET_ATTRS.items() if k != "class"})
            attrs["class"] = f"{attrs.get('class', '')} {CODE_WIDGET_ATTRS['class']}".strip()


class LoginForm(GovukAccountFormMixin, account_forms.LoginForm):
    labels = {"login": "Email address", "password": "Password"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs["autocomplete"] = "email"
        self.fields["login"].widget.attrs["spellcheck"] = "false"


class ResetPasswordForm(GovukAccountFormMixin, account_forms.ResetPasswordForm):
    labels = {"email": "Email address"}


class ResetPasswordKeyForm(GovukAccountFormMixin, account_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Confirm new password"}
    hints = {"password1": "Use at least 12 characters. Avoid common words and your name."}


class ReauthenticateForm(GovukAccountFormMixin, account_forms.ReauthenticateForm):
    labels = {"password": "Password"}


class CodeAttemptsLimitMixin:
    """At most 5 codes per person in 5 minutes (ACCOUNT_RATE_LIMITS["second_factor_code"]).

    allauth would count codes under its "login_failed" limit, which is off because axes throttles
    passwords per person and address; codes get their own limit, per person, from any address.
    """

    def clean_code(self) -> str:
        key = f"second-factor-user-{self.user.pk}"
        if not ratelimit.consume(context.request, action="second_factor_code", key=key):
            raise ValidationError(SECOND_FACTOR_LIMITED)
        code = super().clean_code()
        ratelimit.clear(context.request, action="second_factor_code", key=key)
        return code


class AuthenticateForm(CodeAttemptsLimitMixin, GovukAccountFormMixin, mfa_forms.AuthenticateForm):
    labels = {"code": "Code from your authenticator app"}
    hints = {"code": "Or enter one of your recovery codes."}


class MfaReauthenticateForm(
    CodeAttemptsLimitMixin, GovukAccountFormMixin, mfa_forms.ReauthenticateForm
):
    labels = {"code": "Code from your authenticator app"}
    hints = {"code": "Or enter one of your recovery codes."}


class ActivateTOTPForm(CodeAttemptsLimitMixin, GovukAccountFormMixin, totp_forms.ActivateTOTPForm):
    labels = {"code": "Code from your authenticator app"}
    hints = {"code": "The 6-digit code the app shows for this service."}


class DeactivateTOTPForm(GovukAccountFormMixin, totp_forms.DeactivateTOTPForm):
    pass


class GenerateRecoveryCodesForm(
    GovukAccountFormMixin, recovery_code_forms.GenerateRecoveryCodesForm
):
    pass


class AddWebAuthnForm(GovukAccountFormMixin, webauthn_forms.AddWebAuthnForm):
    labels = {"name": "Name for this security key"}
    hints = {"name": "For example, ‘Work laptop’ or ‘Blue key’."}
