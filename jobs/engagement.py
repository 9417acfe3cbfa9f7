"""The engagement job (registered by its module)."""
