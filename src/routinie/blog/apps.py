from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "routinie.blog"
    label = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        # Saving or deleting a post forgets whether the blog has posts (see context.py).
        from routinie.blog import context  # noqa: F401
