"""The engine: rule registry, settings, selection, suppressions and the run."""
