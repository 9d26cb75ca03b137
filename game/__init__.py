"""Accord: a scenario-training game engine for strategic partnerships in peacekeeping."""

__version__ = "0.1.0"
