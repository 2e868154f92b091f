"""Plans as the user names them: the manifest, loading a plan by id/file/CSV, and the batch job."""
