"""What installers pick up: the .desktop file, the AppStream metadata and the generated icon set agree."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
METAINFO = RESOURCES / "io.timetally.TimeTally.metainfo.xml"
ICONS = RESOURCES / "icons" / "app"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_desktop_entry_launches_the_installed_command() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(RESOURCES / "timetally.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]

    assert entry["Type"] == "Application" and entry["Name"] == "TimeTally"
    assert entry["Exec"] in scripts
    assert entry["Icon"] == "timetally" and (ICONS / "timetally-256.png").is_file()
    assert entry["Categories"].endswith(";") and entry["Terminal"] == "false"


def test_appstream_metadata_is_well_formed_and_matches_the_app() -> None:
    root = ET.parse(METAINFO).getroot()

    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.timetally.TimeTally"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("name") == "TimeTally" and root.findtext("summary")
    assert root.findall("description/p")
    launchable = root.find("launchable")
    assert launchable is not None and (RESOURCES / (launchable.text or "")).is_file()
    assert root.findtext("provides/binary") == "timetally"
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == __version__


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_appstream_metadata_passes_appstreamcli() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_png_icons_have_their_sizes() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert _png_size((ICONS / f"timetally-{size}.png").read_bytes()) == (size, size)


def test_ico_holds_every_windows_size_as_png() -> None:
    data = (ICONS / "timetally.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, height, _colors, _r, _planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        png = data[offset : offset + length]
        sizes.append(_png_size(png)[0])
        assert (width or 256, height or 256, bits) == (sizes[-1], sizes[-1], 32)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_icns_holds_the_macos_sizes() -> None:
    data = (ICONS / "timetally.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found = {}
    at = 8
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack(">I", data[at + 4 : at + 8])[0]
        found[kind] = _png_size(data[at + 8 : at + length])[0]
        at += length
    assert found == {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024}
