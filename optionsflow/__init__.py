"""optionsflow."""
