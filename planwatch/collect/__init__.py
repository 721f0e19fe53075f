"""Annual data collection: templates, import with validation, workflow, documents, status."""
