"""Getting bytes in: files and folders, URLs (``http``), feeds (``feeds``, ``jsonfeed``,
``entries``), OPML lists, and the parallel refresh of subscriptions (``refresh``,
``subscriptions``)."""
