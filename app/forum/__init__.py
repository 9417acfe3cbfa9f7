"""Categories, threads (questions and discussions), posts, votes, tags and search."""
