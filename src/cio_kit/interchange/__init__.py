"""Other programs' file formats, one module each with its reader and its writer."""
