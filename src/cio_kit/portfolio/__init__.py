"""Several plans together: merging them, scenarios over them, and the optimiser."""
