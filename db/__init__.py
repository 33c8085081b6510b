"""The data store: schema, configuration, migrations, seeding, queries and the command line."""
