"""The bureau's PostGIS database: connecting, the spatial tables a role may read, reading them,
and classifying a register inside the database (issue 27)."""
