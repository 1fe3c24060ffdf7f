"""Healthcare case studies: hospital mortality, trials, lung-cancer survival, diagnosis."""
