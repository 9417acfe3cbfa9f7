"""Users, authentication, profiles, settings, data export and deletion."""
