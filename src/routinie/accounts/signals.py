"""What happened to an account, for the apps above accounts to hear of (notifications only:
a receiver cannot refuse the event, it is told once it has happened)."""

from django.dispatch import Signal

# Sent once the sign-up's transaction has committed; arguments: `sender` (the User class) and
# `user`. The policy app tells a new account about a policy version announced but not yet in
# force.
account_created = Signal()
