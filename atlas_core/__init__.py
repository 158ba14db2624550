"""Floor 0: the project's exceptions and its settings, imported by every other package."""
