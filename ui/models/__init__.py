"""Item models and their delegates: the story list, search results and highlight lists."""
