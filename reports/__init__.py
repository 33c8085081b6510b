"""Printable snapshots: HTML template rendered to PDF, with charts and maps as static images."""
