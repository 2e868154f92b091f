"""The task table: the pandera contract every stage agrees on, its CSV form and data package."""
