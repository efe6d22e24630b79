"""Renderers of views: the interactive HTML page (``html``) and its shared look (``style``)."""
