"""How TimeTally lives on the machine, without Qt: autostart entries, the running-instance socket, shortcut syntax."""
