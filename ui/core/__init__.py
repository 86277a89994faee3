"""What every part of the window stands on: the database worker, the change bus, the services
features get, undo commands, settings, the keymap, colours and small text helpers."""
