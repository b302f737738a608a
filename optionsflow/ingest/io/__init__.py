"""File input: paths and file days, compression, format sniffing, CSV scans, located errors.

A leaf of :mod:`optionsflow.ingest`: nothing here knows a vendor's columns.
"""
