"""Identity: users, roles, sign-up, login, recovery codes, settings, export, deletion, permissions."""
