"""The window's other panes: the sidebar, the story list and search results tables and the
middle column that pages between them and the notebook, the search bar, the notebook, the
notifications dock and the keyboard help overlay."""
