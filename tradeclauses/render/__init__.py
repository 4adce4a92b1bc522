"""Renderers: the clause model and results as text, Markdown, HTML and JSON."""
