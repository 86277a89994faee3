"""Getting bytes in: files and folders now, URLs and feeds later."""
