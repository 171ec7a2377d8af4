from django.apps import AppConfig


class MaracConfig(AppConfig):
    name = "marac"
    verbose_name = "MARAC"
