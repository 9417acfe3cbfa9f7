"""In-app notifications: answers, replies, accepts, mentions, badges, levels, bounties."""
