"""The window's other panes: the sidebar, the search bar, the notebook, the notifications dock
and the keyboard help overlay."""
