from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from routinie.blog import views
from routinie.blog.feeds import PostsFeed

app_name = "blog"
urlpatterns: list[URLPattern] = [
    path("blog/", views.post_list, name="list"),
    path("blog/feed/", require_safe(PostsFeed()), name="feed"),  # GET and HEAD only
    path("blog/<slug:slug>/", views.post_detail, name="post"),
]
