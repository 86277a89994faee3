"""Reading one story: the reader view and its document, the selection toolbar, and the
highlights panel with its orphans, story notes and tag editors."""
