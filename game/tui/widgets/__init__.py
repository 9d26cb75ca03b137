"""Widgets of the turn dashboard and the end screen."""
