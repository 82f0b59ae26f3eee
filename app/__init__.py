"""TimeTally: a desktop time tracker that captures work, classifies it by readable rules and bills it."""

__version__ = "0.1.0"
