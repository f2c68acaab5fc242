"""The tracking part of API v1: each concept's router, under one router that `routinie.api`
adds. The paths are those of `api.md`."""

from ninja import Router

from routinie.tracking.entries.api import router as entries_router
from routinie.tracking.feed.api import router as feed_router
from routinie.tracking.goals.api import router as goals_router
from routinie.tracking.reminders.api import router as reminders_router
from routinie.tracking.reports.api import router as reports_router
from routinie.tracking.routines.api import router as routines_router
from routinie.tracking.transfer.api import router as transfer_router

router = Router()
# The transfer router comes first: its /time-entries/export must match before the entries
# router's /time-entries/{entry_id}.
router.add_router("", transfer_router)
router.add_router("", entries_router)
router.add_router("", routines_router)
router.add_router("", feed_router)
router.add_router("", reminders_router)
router.add_router("", reports_router)
router.add_router("", goals_router)
