"""Help: the crisis page and the help directory."""
