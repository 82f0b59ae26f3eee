"""Per-OS probes for the active window and idle time, behind `base.Backend`; `factory.create_backend` picks one."""
