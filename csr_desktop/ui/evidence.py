"""The 佐证材料目录 of one indicator: every operation is one core command (one undo step).

Small files are copied in at once; when a batch is large, the copying runs on a worker thread
with its own SQLite connection behind a progress dialog that can cancel it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.blobs import StoredFile, file_size
from csr_desktop.core.errors import Cancelled, CsrError, quoted
from csr_desktop.core.operations import evidence, ingest
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session

BACKGROUND_BYTES = 8 << 20  # batches larger than this copy in on a worker thread


def temp_copy_name(item: EvidenceItem) -> str:
    """The package's safe-name rule for the copy handed to the viewer: a 材料名称 or original
    name may hold `:` (an NTFS stream), `?*"<>|` (refused) or be `CON.pdf` (a device)."""
    from csr_desktop.formats.safe_names import safe_component, safe_extension

    base = (item.file_name or "").replace("\\", "/").rsplit("/", 1)[-1] or item.name
    return safe_component(base, safe_extension(item.file_name), fallback=tr("佐证材料"))


class EvidenceController:
    """Turns the table's buttons, edits and drops into commands on the project."""

    def __init__(self, session: Session, no: int, parent: QWidget) -> None:
        self.session = session
        self.no = no
        self.parent = parent
        self.indicator = session.project.indicator_set.indicator(no)

    def items(self) -> list[EvidenceItem]:
        return list(self.session.project.assessment().answer(self.no).evidence)

    def _set(self, items: list[EvidenceItem], what: str) -> bool:
        label = f"{self.indicator.label}{what}"
        project = self.session.project
        done = self.session.run(lambda: evidence.set_evidence(project, self.no, items, label))
        return done is not None and done.done

    # ---- adding files ---------------------------------------------------------------------

    def _usable(self, paths: list[Path]) -> list[Path]:
        """The regular files among `paths` (the one pre-check, `operations.ingest`); the
        others are named with their reason and left out."""
        files, refused = ingest.usable(paths)
        if refused:
            dialogs.warning(
                self.parent,
                tr("无法添加"),
                tr("以下项目不能作为佐证材料，未添加：")
                + "\n"
                + "\n".join(exc.zh for exc in refused),
            )
        return files

    def _store(self, paths: list[Path]) -> list[StoredFile] | None:
        """Copy the files into the project; None if cancelled or failed (message shown)."""
        project = self.session.project
        try:
            total = sum(file_size(p) for p in paths)
            if total <= BACKGROUND_BYTES:
                return ingest.ingest(project, paths)
            from csr_desktop.ui.worker import Progress, run_with_progress

            copy_in = ingest.ingest_job(project)

            def job(progress: Progress) -> list[StoredFile]:
                return copy_in(paths, progress)

            names = "、".join(p.name for p in paths)
            return run_with_progress(
                self.parent, tr("正在添加佐证材料"), tr("正在复制：") + names, job
            )
        except Cancelled:
            return None
        except CsrError as exc:
            dialogs.failure(self.parent, tr("未能添加佐证材料"), exc)
            return None

    def add_files(self, paths: list[Path]) -> bool:
        """Append one catalogue row per file, named after the file (one undo step); a file
        already in this 目录 is asked about. The copying runs first (maybe on a worker thread,
        behind a progress dialog); the rows are then one operation, as the CLI's `attach`."""
        paths = self._usable(paths)
        if not paths:
            return False
        stored = self._store(paths)
        if stored is None:
            return False
        project = self.session.project
        added = self.session.run(
            lambda: evidence.add_evidence(
                project, self.no, paths, stored=stored, again=self._add_again
            )
        )
        return added is not None and added.changed.done

    def _add_again(self, path: Path, row: int, listed: EvidenceItem) -> bool:
        """A file already in this 目录 (same SHA-256) is added again only if the user says
        so: two rows for one file in a submitted catalogue look like a mistake."""
        skip, add = tr("跳过"), tr("仍要添加")
        text = tr("“{file}”已在目录第 {row} 行（“{name}”），是否仍要添加？").format(
            file=path.name, row=row, name=listed.name
        )
        return dialogs.ask(self.parent, tr("佐证材料已在目录中"), text, (skip, add)) == 1

    def attach(self, row: int, path: Path) -> bool:
        """Give a row (e.g. one imported from Excel) its file, or replace the file."""
        paths = self._usable([path])
        if not paths:
            return False
        stored = self._store(paths)
        if stored is None:
            return False
        project = self.session.project
        label = f"{self.indicator.label}{tr('更换佐证材料文件：')}{self.items()[row].name}"
        done = self.session.run(
            lambda: evidence.replace_file(project, self.no, row, path, label, stored[0])
        )
        return done is not None and done.done

    # ---- editing rows ---------------------------------------------------------------------

    def rename(self, row: int, name: str) -> bool:
        items = self.items()
        name = name.strip()
        if not name or items[row].name == name:
            return False
        old = items[row].name
        items[row] = items[row]._replace(name=name)
        return self._set(items, tr("重命名佐证材料：") + f"{old} → {name}")

    def set_remark(self, row: int, remark: str) -> bool:
        items = self.items()
        if items[row].remark == remark:
            return False
        items[row] = items[row]._replace(remark=remark)
        return self._set(items, tr("修改佐证材料备注：") + items[row].name)

    def move(self, row: int, delta: int) -> bool:
        items = self.items()
        other = row + delta
        if not (0 <= row < len(items) and 0 <= other < len(items)):
            return False
        items[row], items[other] = items[other], items[row]
        return self._set(items, tr("调整佐证材料顺序：") + items[other].name)

    def remove(self, row: int) -> bool:
        items = self.items()
        gone = items.pop(row)
        return self._set(items, tr("删除佐证材料：") + gone.name)

    # ---- opening ------------------------------------------------------------------------

    def open(self, row: int) -> Path | None:
        """Copy the stored file out to a temporary folder, read-only and named as a copy, and
        hand it to the system viewer (ui.opened_copies: removed when the project closes)."""
        from csr_desktop.ui import opened_copies

        item = self.items()[row]
        if item.sha256 is None:
            dialogs.information(
                self.parent,
                tr("没有文件"),
                tr("“{name}”还没有附上文件，请用“更换文件…”附上。").format(name=item.name),
            )
            return None
        folder = opened_copies.folder_for(id(self.session), item.sha256)
        dest = folder / opened_copies.copy_name(temp_copy_name(item))
        try:
            opened_copies.prepare(dest)
            with open(dest, "wb") as out:
                self.session.project.copy_file_to(item.sha256, out)
            opened_copies.seal(dest)
        except CsrError as exc:
            dest.unlink(missing_ok=True)
            dialogs.failure(self.parent, tr("无法打开佐证材料"), exc)
            return None
        except OSError as exc:
            dialogs.failure(
                self.parent,
                tr("无法打开佐证材料"),
                exc,
                lead=tr("无法写入临时文件 {path}：").format(path=quoted(dest)),
            )
            return None
        if not dialogs.open_with_system(dest):
            dialogs.warning(
                self.parent,
                tr("无法打开佐证材料"),
                tr("系统中没有能打开 {path} 的程序。").format(path=quoted(dest)),
            )
        return dest
