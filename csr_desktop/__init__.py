"""csr-desktop: fill in, keep and export the 互联网平台企业履行社会责任自评材料 offline."""

# The one place the version lives: pyproject.toml reads it from here (setuptools dynamic
# version), so the package metadata, `--version`, 关于, exports and the installer all agree.
# A plain constant rather than importlib.metadata keeps it off the start-up path.
__version__ = "0.1.0"
