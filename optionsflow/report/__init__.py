"""Rendering of flow reports: the weekly summary as text, JSON or Markdown."""
