"""Suggestions learned on this computer from the user's own assignments: features of windows, the model that
weighs them, the rule that replaces them, and the service that keeps the model in the local database."""
