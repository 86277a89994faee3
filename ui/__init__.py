"""The desktop window: PySide6 widgets, item models and the database worker that wrap
reader.archive."""
