"""Hostile rules files: a generated corpus of malformed files, deep nesting, devices, FIFOs, folders, huge files, and
an empty file that would wipe the rules. Each is refused with a sentence (or imported whole), never a traceback."""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest

from app.classify.ruleset_file import MAX_FILE_BYTES, RulesFileError, loads
from app.classify.service import WouldRemoveAll
from app.cli import main
from app.core import Core
from app.domain.errors import ValidationError

GOOD = """version = 1

[[rule]]
name = "Acme web"
client = "Acme Corp"
project = "Website"
task = "Ticket $1"
weekdays = ["mon-fri"]
hours = ["09:00-17:30"]
all = [{ field = "title", regex = 'ACME-(\\d+)' }, { any = [{ field = "app", glob = "*code*" }] }]

[[rule]]
name = "Chat"
private = true
any = [{ field = "app", equals = "signal" }, { field = "url", contains = "chat", not = true }]
"""

_FRAGMENTS = [
    "[[rule]]", "name = 3", 'name = ""', "all = []", "any = 5", 'all = [{ field = "nope", contains = "x" }]',
    'all = [{ field = "title" }]', 'all = [{ field = "title", regex = "(" }]',
    'all = [{ field = "title", regex = "a++" }]',
    'all = [{ field = "title", regex = "(a)\\\\1" }]', 'weekdays = ["funday"]', 'hours = "25:00-26:00"',
    "hours = 9", 'task = "$9"', "private = 1", "ignore = true", 'client = "A"', "version = 2", "rule = 1",
    "[rule]", "x = 1", "\x00", "\ufeff", "= =", '"""', "'''", "[[rule]]\n[[rule]]", "all = [[[[[[]]]]]]",
    'tags = ["", 1]', "billable = \"yes\"", 'all = [{ all = [{ any = [] }] }]', "enabled = 0",
    'all = [{ field = "title", contains = "' + "x" * 5000 + '" }]', 'name = "Acme web"',
    'all = [{ field = "title", regex = "' + "(" * 300 + "a" + ")" * 300 + '" }]',
]


def corpus() -> list[tuple[str, bytes]]:
    """147 malformed (or merely odd) files, made the same way every run: cuts, splices, junk and deep nesting."""
    rng = random.Random(18)
    base = GOOD.encode()
    files: list[tuple[str, bytes]] = []
    for i in range(40):  # truncated anywhere
        files.append((f"cut-{i}", base[: rng.randrange(len(base))]))
    for i in range(50):  # fragments spliced in at line starts
        lines = GOOD.splitlines()
        for _ in range(rng.randint(1, 3)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(_FRAGMENTS))
        files.append((f"splice-{i}", "\n".join(lines).encode("utf-8", "surrogatepass")))
    for i in range(21):  # bytes flipped
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        files.append((f"flip-{i}", bytes(data)))
    for depth in (50, 150, 200, 400, 1000, 5000, 20000):  # nested groups and nested arrays
        group = '{ field = "title", contains = "x" }'
        for _ in range(depth):
            group = f"{{ any = [{group}] }}"
        files.append((f"groups-{depth}", f'[[rule]]\nname = "deep"\nclient = "A"\nproject = "B"\n'
                                         f"all = [{group}]\n".encode()))
        files.append((f"arrays-{depth}", f"x = {'[' * depth}{']' * depth}\n".encode()))
        files.append((f"tables-{depth}", f"x = {'{ a = ' * depth}1{' }' * depth}\n".encode()))
    files += [("empty-name", b'[[rule]]\nname = ""\n'), ("latin1", "name = 'caf\xe9'".encode("latin-1")),
              ("utf16", GOOD.encode("utf-16")), ("bom", b"\xef\xbb\xbf" + base), ("nul", b"\x00" * 100),
              ("binary", bytes(range(256)) * 4), ("huge-string", b'x = "' + b"y" * 100_000 + b'"\n'),
              ("many-rules", ("[[rule]]\nname='r'\nall=[{field='app',contains='a'}]\n" * 300).encode()),
              ("not-toml", b"{\"rule\": []}"), ("crlf", base.replace(b"\n", b"\r\n")),
              ("version-str", b'version = "1"\n'), ("float-version", b"version = 1.0\n"),
              ("dates", b"d = 1979-05-27\n"),
              ("long-line", b"# " + b"z" * 500_000 + b"\n"), ("only-comment", b"# nothing\n")]
    assert len(files) == 147
    return files


@pytest.fixture
def seeded(core: Core, tmp_path: Path) -> Core:
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    core.classifier.import_file(good)
    return core


def test_the_malformed_corpus_is_refused_whole_or_imported_whole(seeded: Core, tmp_path: Path) -> None:
    outcomes = {"imported": 0, "refused": 0}
    for name, data in corpus():
        path = tmp_path / f"{name}.toml"
        path.write_bytes(data)
        before = seeded.classifier.rules()
        try:
            rules = seeded.classifier.import_file(path)
        except ValidationError as exc:
            assert str(exc) and "Traceback" not in str(exc), name
            assert seeded.classifier.rules() == before, f"{name} changed the rules although it was refused"
            outcomes["refused"] += 1
            continue
        assert seeded.classifier.rules() == rules, name
        outcomes["imported"] += 1
        seeded.classifier.replace_rules(before)
    assert outcomes["refused"] > 100


@pytest.mark.parametrize("depth", [200, 5000])
def test_deep_nesting_is_a_sentence_not_a_recursion_error(depth: int) -> None:
    group = '{ field = "title", contains = "x" }'
    for _ in range(depth):
        group = f"{{ any = [{group}] }}"
    with pytest.raises(RulesFileError, match="nest"):
        loads(f'[[rule]]\nname = "deep"\nclient = "A"\nproject = "B"\nall = [{group}]\n')
    with pytest.raises(RulesFileError, match="nested far too deeply" if depth > 1000 else "unknown top-level"):
        loads(f"x = {'[' * depth}{']' * depth}\n")


def test_ten_nested_groups_are_still_a_rule() -> None:
    group = '{ field = "title", contains = "x" }'
    for _ in range(9):
        group = f"{{ any = [{group}] }}"
    (rule,) = loads(f'[[rule]]\nname = "deep"\nclient = "A"\nproject = "B"\nall = [{group}]\n')
    assert rule.name == "deep"


def test_devices_folders_and_big_files_are_refused_before_reading(seeded: Core, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not a regular file"):
        seeded.classifier.import_file(Path("/dev/zero"))
    with pytest.raises(ValidationError, match="is a folder"):
        seeded.classifier.import_file(tmp_path)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ValidationError, match="at most 1,048,576"):
        seeded.classifier.import_file(big)
    with pytest.raises(ValidationError, match="There is no file"):
        seeded.classifier.import_file(tmp_path / "missing.toml")
    assert len(seeded.classifier.rules()) == 2


def test_a_fifo_is_refused_at_once_instead_of_blocking(seeded: Core, tmp_path: Path) -> None:
    fifo = tmp_path / "rules.toml"
    os.mkfifo(fifo)
    result: list[BaseException | None] = []

    def attempt() -> None:
        try:
            seeded.classifier.import_file(fifo)
        except BaseException as exc:
            result.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # free the reader so the test process can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO blocked")
    assert time.monotonic() - started < 5
    assert isinstance(result[0], ValidationError) and "not a regular file" in str(result[0])


def test_an_empty_file_removes_every_rule_only_with_replace_all(seeded: Core, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    with pytest.raises(WouldRemoveAll):
        seeded.classifier.import_file(empty)
    seeded.close()
    assert main(["rules", "import", str(empty)]) == 1
    err = capsys.readouterr().err
    assert "holds no rules" in err and "all 2 of yours" in err and "--replace-all" in err
    assert main(["rules", "list", "--json"]) == 0 and '"Acme web"' in capsys.readouterr().out
    assert main(["rules", "import", str(empty), "--replace-all"]) == 0
    assert "Imported 0 rules" in capsys.readouterr().out
    assert main(["rules", "import", str(empty)]) == 0  # nothing left to lose
