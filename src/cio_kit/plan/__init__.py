"""The plan file format: model, YAML reader, loader, schema, structural checks and suppressions."""
