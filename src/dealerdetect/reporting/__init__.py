"""Reporting: Tables 1 and 2 and figures for the rerun."""
