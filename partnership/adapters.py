from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts exist only by invitation from a partnership administrator: sign-up is closed."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
