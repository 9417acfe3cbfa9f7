"""Email: the mailer, and later notifications, digests, unsubscribe and click tracking."""
