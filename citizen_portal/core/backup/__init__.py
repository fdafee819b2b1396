"""Backups of the embedded default: the SQLite database, the uploaded files and the local
secret key in one verified `.tar.gz` (the `backup` and `restore` commands; docs/operators.md
"Backups and restore"). PostgreSQL is backed up with its own tools, as documented there.

`sqlite` copies databases page by page with SQLite's online backup API, `archive` writes and
checks the archive, `services` puts them together.
"""
