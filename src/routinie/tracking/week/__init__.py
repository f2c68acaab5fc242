"""The week view (a calendar of blocks) and the timesheet (projects by days)."""
