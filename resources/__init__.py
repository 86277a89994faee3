"""The files the app ships (sample stories and their annotations), as the package
``reader._resources``: ``reader/_resources`` is a link to this folder, so ``importlib.resources``
finds them alike in a checkout, an editable install and an installed wheel."""
