"""`make package`: build the one-folder bundle for this OS, check it with its own self-test, archive it.

Prints the build time, the unpacked and archived sizes (the figures docs/benchmarks.md reports).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import __version__  # noqa: E402  (the repository root goes on the path first)

SPEC = ROOT / "packaging" / "timetally.spec"


def os_name() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def bundle_dir(dist: Path) -> Path:
    """What gets archived: the .app on macOS, the one-folder bundle elsewhere."""
    return dist / "TimeTally.app" if os_name() == "macos" else dist / "timetally"


def executable(dist: Path) -> Path:
    name = "timetally.exe" if os_name() == "windows" else "timetally"
    return dist / "timetally" / name


def tree_size(folder: Path) -> int:
    """Bytes in regular files; symlinks (Qt's library aliases) count as nothing, as on disk."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def archive(folder: Path, dist: Path) -> Path:
    """A .zip on Windows; a .tar.gz elsewhere (symlinks and permissions kept), gzip level 6: level 9 takes
    twice as long for half a percent."""
    base = dist / f"timetally-{__version__}-{os_name()}"
    if os_name() == "windows":
        return Path(shutil.make_archive(str(base), "zip", root_dir=folder.parent, base_dir=folder.name))
    target = base.with_name(base.name + ".tar.gz")
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    return target


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--skip-self-test", action="store_true", help="do not run the bundle's --self-test")
    args = parser.parse_args()

    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(args.dist),
            "--workpath",
            str(args.work),
            str(SPEC),
        ],
        check=True,
    )
    built = time.monotonic() - started

    if not args.skip_self_test:
        env = {k: v for k, v in os.environ.items() if k != "TIMETALLY_HOME"}
        result = subprocess.run([str(executable(args.dist)), "--self-test"], env=env, timeout=120)
        if result.returncode != 0:
            print(f"package: the bundle's self-test failed (exit {result.returncode})", file=sys.stderr)
            return 1

    folder = bundle_dir(args.dist)
    packed = archive(folder, args.dist)
    print(f"build time:  {built:.0f} s (PyInstaller), {time.monotonic() - started:.0f} s in all")
    print(f"unpacked:    {megabytes(tree_size(folder))}  {folder}")
    print(f"archive:     {megabytes(packed.stat().st_size)}  {packed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
