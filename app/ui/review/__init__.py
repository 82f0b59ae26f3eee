"""The weekly timesheet review window: grid, day timeline, proposals and approvals."""
