"""The backup folder of `backup` and `backups`: `--to`, else the user's default one."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.core.backups import location
from csr_desktop.core.errors import CsrError


def add_to_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", type=Path, help="备份文件夹（默认：本机数据文件夹下的 backups）")


def backup_root(args: argparse.Namespace) -> Path:
    if args.to is not None:
        return Path(args.to)
    if location.disabled_by_environment():
        raise CsrError(
            f"备份已被管理员关闭（环境变量 {location.ENV_SWITCH}）；如确需备份，请用 --to 指定文件夹",
            "backups are turned off",
        )
    return location.default_root()
