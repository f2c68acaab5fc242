from django.urls import path

from routinie.tracking.entries import project_views
from routinie.tracking.entries import views as entry_views
from routinie.tracking.feed import views as feed_views
from routinie.tracking.forgotten import views as forgotten_views
from routinie.tracking.goals import views as goal_views
from routinie.tracking.reminders import views as reminder_views
from routinie.tracking.reports import views as report_views
from routinie.tracking.routines import views as routine_views
from routinie.tracking.today import views as today_views
from routinie.tracking.transfer import loop_views
from routinie.tracking.week import views as week_views

app_name = "tracking"

urlpatterns = [
    path("today/", today_views.today, name="today"),
    path("today/timer/", today_views.timer, name="timer"),
    path("today/running/", today_views.running, name="timer-running"),
    path("today/manual/", today_views.manual, name="today-manual"),
    path("today/checkin/<uuid:routine_id>/", today_views.quick_check_in, name="quick-checkin"),
    path("timer/forgotten/<uuid:entry_id>/", forgotten_views.confirm, name="forgotten-timer"),
    path("timer/forgotten/<uuid:entry_id>/stop/", forgotten_views.stop, name="forgotten-stop"),
    path("timer/forgotten/<uuid:entry_id>/keep/", forgotten_views.keep, name="forgotten-keep"),
    path("timer/idle/", forgotten_views.idle, name="timer-idle"),
    path("entries/", entry_views.entries, name="entries"),
    path("entries/new/", entry_views.create, name="entry-create"),
    path("entries/import/", entry_views.import_file, name="entry-import"),
    path("entries/projects/", project_views.create_project),  # the old address
    path("entries/projects/<uuid:project_id>/archive/", project_views.archive_project),
    path("entries/undo/", entry_views.undo, name="entry-undo"),
    path("projects/", project_views.projects, name="projects"),
    path("projects/new/", project_views.create_project, name="project-create"),
    path("projects/<uuid:project_id>/", project_views.update_project, name="project-update"),
    path(
        "projects/<uuid:project_id>/archive/",
        project_views.archive_project,
        name="project-archive",
    ),
    path("entries/<uuid:entry_id>/", entry_views.row, name="entry-row"),
    path("entries/<uuid:entry_id>/edit/", entry_views.edit, name="entry-edit"),
    path("entries/<uuid:entry_id>/delete/", entry_views.delete, name="entry-delete"),
    path("entries/<uuid:entry_id>/duplicate/", entry_views.duplicate, name="entry-duplicate"),
    path("entries/<uuid:entry_id>/continue/", entry_views.continue_timer, name="entry-continue"),
    path("routines/", routine_views.routines, name="routines"),
    path("routines/new/", routine_views.create, name="routine-create"),
    path("calendar/<str:token>.ics", feed_views.calendar_feed, name="calendar-feed"),
    path("account/calendar-feed/", feed_views.make, name="calendar-feed-make"),
    path("account/calendar-feed/revoke/", feed_views.revoke, name="calendar-feed-revoke"),
    path("routines/import/", loop_views.import_loop, name="routine-import"),
    path("routines/reminders/", reminder_views.digest, name="reminder-digest"),
    path("reminders/unsubscribe/", reminder_views.unsubscribe, name="reminder-unsubscribe"),
    path("routines/export/", loop_views.export_loop, name="routine-export"),
    path("routines/<uuid:routine_id>/", routine_views.detail, name="routine-detail"),
    path("routines/<uuid:routine_id>/edit/", routine_views.edit, name="routine-edit"),
    path("routines/<uuid:routine_id>/archive/", routine_views.archive, name="routine-archive"),
    path("routines/<uuid:routine_id>/delete/", routine_views.delete, name="routine-delete"),
    path("routines/<uuid:routine_id>/checkin/", routine_views.check_in, name="routine-checkin"),
    path("routines/<uuid:routine_id>/run/", routine_views.run, name="routine-run"),
    path("routines/<uuid:routine_id>/toggle/", routine_views.toggle_day, name="routine-toggle"),
    path("routines/<uuid:routine_id>/add-one/", routine_views.add_one, name="routine-add-one"),
    path(
        "routines/<uuid:routine_id>/run/<str:action>/",
        routine_views.run_action,
        name="routine-run-action",
    ),
    path("goals/", goal_views.goals, name="goals"),
    path("goals/new/", goal_views.create, name="goal-create"),
    path("goals/<uuid:goal_id>/", goal_views.update, name="goal-update"),
    path("goals/<uuid:goal_id>/delete/", goal_views.delete, name="goal-delete"),
    path("reports/", report_views.reports, name="reports"),
    path("week/", week_views.week, name="week"),
    path("week/add/", week_views.add, name="week-add"),
    path("week/entries/<uuid:entry_id>/move/", week_views.move, name="week-move"),
    path("timesheet/", week_views.timesheet, name="timesheet"),
]
