"""The recommendations job (registered by its module)."""
