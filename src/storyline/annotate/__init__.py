"""Annotation: time expressions now; actors and places build on the same spaCy parse."""
