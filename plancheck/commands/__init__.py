"""One module per CLI command; each exposes ``register(app)``."""

# --allow-outside-sources, shared by every command that reads a manifest's sources. Only the
# command line can give it: settings files come from the same pull request as the manifest.
ALLOW_OUTSIDE_HELP = (
    "读取清单中位于仓库之外的来源文件（仅在信任此清单时使用）。 Read manifest sources that "
    "resolve outside the manifest's repository (only for a manifest you trust)."
)
