"""One module per feature, each wiring its actions to worker operations through the services
it is given (never the window): the story list, search, opening a story, the focus-dependent
keyboard commands, importing, feeds, links, mailboxes, annotations, versions, export, backups,
tags and the colour codebook."""
