"""Goals on time: a target of worked hours a week or a month for a project or a tag, with its
progress in the current period (issue 17)."""
