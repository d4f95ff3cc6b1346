from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events, actors, places and claims"

    def ready(self):
        # The claims an event's values rest on: a model of its own module, as events/models.py is at the
        # length a module may have (tests/test_layout.py); registered once the models it links are.
        from events import evidence  # noqa: F401
