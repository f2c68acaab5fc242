from django.urls import path

from routinie.support import staff_views, views

app_name = "support"
urlpatterns = [
    path("support/", views.inbox, name="inbox"),
    path("support/staff/", staff_views.queue, name="staff-queue"),
    path(
        "support/staff/<uuid:conversation_id>/",
        staff_views.conversation,
        name="staff-conversation",
    ),
    path(
        "support/staff/<uuid:conversation_id>/status/",
        staff_views.set_status,
        name="staff-status",
    ),
    path("support/<uuid:conversation_id>/", views.conversation, name="conversation"),
    path("support/<uuid:conversation_id>/messages/", views.messages, name="messages"),
    path("support/<uuid:conversation_id>/close/", views.close, name="close"),
]
