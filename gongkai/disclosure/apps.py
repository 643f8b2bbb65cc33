from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    verbose_name = "告知书"

    def ready(self) -> None:
        # The application page offers the letters through this provider: cases never imports
        # the letters app, which is built on it.
        from gongkai.cases.letters import set_letter_provider
        from gongkai.disclosure.services import letters_offered

        set_letter_provider(letters_offered)
