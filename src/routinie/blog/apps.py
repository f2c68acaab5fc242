from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "routinie.blog"
    label = "blog"
    verbose_name = "Blog"
