"""Points ledger, levels and privileges, badges, bounties, streaks and leaderboards."""
