"""``python -m cio_kit``."""

from cio_kit.cli import main

main()
