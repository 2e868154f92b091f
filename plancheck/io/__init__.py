"""Files in and out: atomic writes, YAML loading, the packaged rules folder."""
