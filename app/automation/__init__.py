"""Automation: signed webhooks out (events, their outbox and courier) and scheduled sends."""
