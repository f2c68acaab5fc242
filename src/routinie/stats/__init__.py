"""Statistics: key figures per pseudonymous account, the anonymity layer, public and staff
statistics."""
