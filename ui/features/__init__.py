"""One module per feature, each wiring its actions to worker operations through the services
it is given (never the window): importing, feeds, links, mailboxes, annotations, versions,
export, backups, tags and the colour codebook."""
