"""The model store: versioned model folders, manifests, integrity checks.

Layout of a store ``DIR``::

    DIR/CURRENT                  # name of the current version
    DIR/<version>/model.joblib   # the fitted scikit-learn pipeline
    DIR/<version>/manifest.json  # labels, versions, data fingerprint, metrics, sha256 of files

A joblib file is a pickle and loading it runs code, so :func:`load_model` checks each file's
sha256 against the manifest *before* unpickling anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import joblib

from rootcause.errors import ModelIntegrityError, ModelNotFoundError, ModelVersionError

MODEL_FILE = "model.joblib"
SCOPE_FILE = "scope.joblib"
CARD_FILE = "MODEL_CARD.md"
MANIFEST_FILE = "manifest.json"
POINTER_FILE = "CURRENT"
HISTORY_FILE = "HISTORY"
ENV_MODELS_DIR = "ROOTCAUSE_MODELS_DIR"
_LIBRARIES = ("rootcause", "scikit-learn", "jieba", "joblib", "pandas", "numpy", "scipy", "opencc")


@dataclass(frozen=True)
class ModelInfo:
    """Where a stored model version lives and what its manifest says."""

    path: Path
    manifest: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", self.path.name))


def library_versions() -> dict[str, str]:
    """Versions of Python and the libraries a saved model depends on."""
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_models_dir() -> Path:
    """The store to use when none is given.

    ``$ROOTCAUSE_MODELS_DIR`` if set; else ``./models`` if it holds a store; else the model
    shipped with the package (bundled in the wheel, or the source tree's ``models/``).
    """
    if os.environ.get(ENV_MODELS_DIR):
        return Path(os.environ[ENV_MODELS_DIR])
    local = Path("models")
    if (local / POINTER_FILE).is_file():
        return local
    bundled = Path(str(resources.files("rootcause"))) / "models"
    if (bundled / POINTER_FILE).is_file():
        return bundled
    source_tree = Path(__file__).resolve().parents[2] / "models"
    if (source_tree / POINTER_FILE).is_file():
        return source_tree
    return local


def new_version_name(now: datetime | None = None) -> str:
    """A sortable, unique version name such as ``20261128-121500-3f2a``."""
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%d-%H%M%S}-{os.urandom(2).hex()}"


def save_model(pipeline: Any, manifest: dict[str, Any], models_dir: Path | str, *, make_current: bool,
               scope: Any = None, card: str | None = None) -> ModelInfo:
    """Write ``pipeline`` (and the optional out-of-scope detector and model card) with its
    manifest as a new version in ``models_dir``.

    The version folder is written under a temporary name and renamed into place, so a crash
    never leaves a half-written version. Returns the stored version's info.
    """
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    version = manifest.get("version") or new_version_name()
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=models_dir))
    try:
        staging.chmod(0o755)
        joblib.dump(pipeline, staging / MODEL_FILE, compress=("xz", 6))
        files = [MODEL_FILE]
        if scope is not None:
            joblib.dump(scope, staging / SCOPE_FILE, compress=("xz", 6))
            files.append(SCOPE_FILE)
        if card is not None:
            (staging / CARD_FILE).write_text(card, encoding="utf-8")
            files.append(CARD_FILE)
        manifest = {
            **manifest,
            "version": version,
            "created": manifest.get("created") or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "libraries": library_versions(),
            "files": {name: sha256_file(staging / name) for name in files},
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        final = models_dir / version
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if make_current:
        set_current(models_dir, version)
    return ModelInfo(final, manifest)


def set_current(models_dir: Path | str, version: str) -> None:
    """Point the store's ``CURRENT`` at ``version`` (atomically) and record it in ``HISTORY``."""
    models_dir = Path(models_dir)
    if not (models_dir / version / MANIFEST_FILE).is_file():
        raise ModelNotFoundError(f"no model version {version!r} in {models_dir}; see `rootcause models list`")
    _write_atomic(models_dir / POINTER_FILE, version + "\n")
    history = promotion_history(models_dir)
    _write_atomic(models_dir / HISTORY_FILE, "".join(v + "\n" for v in [*history, version]))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def promotion_history(models_dir: Path | str) -> list[str]:
    """Versions in the order they were made current (oldest first)."""
    path = Path(models_dir) / HISTORY_FILE
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.is_file() else []


def rollback(models_dir: Path | str) -> str:
    """Make the previously current version current again; returns its name."""
    models_dir = Path(models_dir)
    history = promotion_history(models_dir)
    current = current_version(models_dir)
    while history and history[-1] == current:
        history.pop()
    if not history:
        raise ModelNotFoundError(f"nothing to roll back to: {models_dir} has no earlier current version")
    previous = history[-1]
    verify(read_info(models_dir / previous))
    _write_atomic(models_dir / POINTER_FILE, previous + "\n")
    _write_atomic(models_dir / HISTORY_FILE, "".join(v + "\n" for v in history))
    return previous


def current_version(models_dir: Path | str) -> str | None:
    """The name of the store's current version, or ``None`` when it has none."""
    pointer = Path(models_dir) / POINTER_FILE
    return pointer.read_text(encoding="utf-8").strip() or None if pointer.is_file() else None


def list_versions(models_dir: Path | str) -> list[ModelInfo]:
    """Every version in the store, oldest first."""
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        return []
    found = [read_info(p) for p in sorted(models_dir.iterdir()) if (p / MANIFEST_FILE).is_file()]
    return sorted(found, key=lambda info: (info.manifest.get("created", ""), info.version))


def read_info(version_dir: Path | str) -> ModelInfo:
    """Read a version folder's manifest without loading the model."""
    version_dir = Path(version_dir)
    manifest_path = version_dir / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ModelNotFoundError(f"no {MANIFEST_FILE} in {version_dir}; is this a rootcause model folder?")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelIntegrityError(f"{manifest_path} is not valid JSON ({exc}); the model folder is damaged") from exc
    return ModelInfo(version_dir, manifest)


def resolve(path: Path | str | None = None) -> Path:
    """Find the version folder meant by ``path``: a version folder, a store (its current
    version), or ``None`` for the default store."""
    path = Path(path) if path is not None else default_models_dir()
    if (path / MANIFEST_FILE).is_file():
        return path
    if path.is_file() and path.name == MODEL_FILE:
        return path.parent
    version = current_version(path)
    if version is None:
        raise ModelNotFoundError(
            f"No model at {path} — run `python train.py` (or `rootcause train`) first, "
            f"or pass the path of a model folder."
        )
    return path / version


def verify(info: ModelInfo) -> None:
    """Check every file of a version against the sha256 in its manifest.

    Raises
    ------
    ModelIntegrityError
        If a file is missing, or its content does not match the manifest.
    """
    files = info.manifest.get("files")
    if not isinstance(files, dict) or MODEL_FILE not in files:
        raise ModelIntegrityError(f"the manifest in {info.path} lists no checksum for {MODEL_FILE}; refusing to load it")
    for name, expected in files.items():
        file = info.path / name
        if not file.is_file():
            raise ModelIntegrityError(f"{file} is missing; the model folder is incomplete")
        actual = sha256_file(file)
        if actual != expected:
            raise ModelIntegrityError(
                f"{file} does not match its manifest (sha256 {actual[:12]}…, expected {expected[:12]}…): "
                "it was modified, truncated or replaced. Refusing to load it; retrain or restore the file."
            )


def check_library_versions(info: ModelInfo) -> None:
    """Refuse a model saved by another scikit-learn version, naming both versions."""
    saved = info.manifest.get("libraries", {}).get("scikit-learn")
    installed = metadata.version("scikit-learn")
    if saved and saved != installed:
        raise ModelVersionError(
            f"the model in {info.path} was saved with scikit-learn {saved}, but {installed} is installed. "
            f"Install scikit-learn=={saved}, or retrain with `python train.py`."
        )


def load_model(path: Path | str | None = None) -> tuple[Any, ModelInfo]:
    """Load a verified model: returns the fitted pipeline and its info."""
    info = read_info(resolve(path))
    verify(info)
    check_library_versions(info)
    return joblib.load(info.path / MODEL_FILE), info


def load_scope(info: ModelInfo) -> Any | None:
    """The version's out-of-scope detector, if it has one (verified by :func:`load_model` already)."""
    if SCOPE_FILE not in info.manifest.get("files", {}):
        return None
    return joblib.load(info.path / SCOPE_FILE)

