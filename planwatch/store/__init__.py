"""The database: the catalogue loaded from plans, the collected figures and their history."""
