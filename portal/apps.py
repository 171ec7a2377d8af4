from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from portal import signals

        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="portal-session-started")
        user_logged_out.connect(signals.on_user_logged_out, dispatch_uid="portal-signed-out")
        authenticator_added.connect(
            signals.on_authenticator_added, dispatch_uid="portal-second-factor-enrolled"
        )
