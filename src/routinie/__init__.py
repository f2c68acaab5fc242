"""Routinie: privacy-first tracking of time and routines."""
