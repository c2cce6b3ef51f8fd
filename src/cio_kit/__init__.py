"""cio-kit: decision support for enterprise informatization plans kept as YAML."""

__version__ = "0.1.0"
