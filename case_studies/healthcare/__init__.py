"""Healthcare case studies: hospital mortality, trial meta-analysis, lung-cancer survival, breast-cancer diagnosis."""
