from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Action plans"

    def ready(self) -> None:
        from actions.indicators import register_all

        register_all()
