from django.urls import URLPattern, path

from routinie.blog import views
from routinie.blog.feeds import PostsFeed

app_name = "blog"
urlpatterns: list[URLPattern] = [
    path("blog/", views.post_list, name="list"),
    path("blog/feed/", PostsFeed(), name="feed"),
    path("blog/<slug:slug>/", views.post_detail, name="post"),
]
