from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Service directory"

    def ready(self) -> None:
        from directory.indicators import register_all

        register_all()
