"""The communities job (registered by its module)."""
