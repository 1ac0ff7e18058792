"""Pseudonyms, contact details (detection and redaction), phone numbers and CSV that is
safe to open in a spreadsheet."""
