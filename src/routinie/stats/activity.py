"""What the statistics count, defined once: "actively using" Routinie, the 30-day window, the
routine schedule kinds and the weekdays. The pages and the API quote these texts."""

from django.db.models import Q

WINDOW_DAYS = 30

# "Actively using": at least one time entry started, or one routine check-in, in the last
# 30 days (the account's own days, today included). Signing in alone does not count.
ACTIVE = Q(entries_30d__gt=0) | Q(checkins_30d__gt=0)
ACTIVE_DEFINITION = (
    "A person actively uses Routinie when their account has at least one time entry started "
    "or one routine check-in in the last 30 days (their own days, today included). Signing in "
    "alone does not count."
)

# The schedule kinds of routines, as bits of the key figures' routine_kinds (archived routines left
# out), in the order the pages list them.
KIND_BITS = {"daily": 1, "weekdays": 2, "times_per_week": 4, "every_n_days": 8}
KIND_LABELS = {
    "daily": "Every day",
    "weekdays": "On chosen weekdays",
    "times_per_week": "A number of times a week",
    "every_n_days": "Every few days",
}

# The key figures' per-weekday seconds, Monday first (ISO weekday 1 … 7).
WEEKDAY_FIELDS = (
    "seconds_30d_mon",
    "seconds_30d_tue",
    "seconds_30d_wed",
    "seconds_30d_thu",
    "seconds_30d_fri",
    "seconds_30d_sat",
    "seconds_30d_sun",
)
WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
