"""Dialogs: add a link or mailbox, export, compare versions, colour meanings, backup settings."""
