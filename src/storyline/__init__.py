"""storyline: raw news articles in, trustworthy event data out.

Library first: ``storyline.ingest.run.ingest_paths`` runs the main job into a
``storyline.store.sqlite.Store``; the CLI (``storyline``) is a thin shell over both.
"""

__version__ = "0.1.0"
