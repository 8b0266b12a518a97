"""csr-desktop: fill in, keep and export the 互联网平台企业履行社会责任自评材料 offline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("csr-desktop")
except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
    __version__ = "0.1.0"
