from django.apps import AppConfig


class MaracConfig(AppConfig):
    name = "marac"
    verbose_name = "MARAC"

    def ready(self) -> None:
        from marac.indicators import register_all

        register_all()
