"""MiniLM's transformer run by ONNX Runtime: the same float32 hidden states as torch, about twice as fast.

The loaded torch model (with any LoRA deltas already merged) is exported at start-up (a few seconds,
through a temporary file deleted at once; nothing is downloaded) and run by ONNX Runtime's CPU
provider with its graph optimisations. Only the transformer moves: tokenisation and pooling stay in
:class:`safety.embeddings.MiniLmEncoder`, so the features are the torch ones to float rounding
(max abs difference ~2e-7 on the pooled vectors; checked by the tests and by
``python -m safety.training.compare_precision --candidate onnxruntime``).
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")


class OnnxHiddenStates:
    """All hidden states (embeddings + every layer) of a BERT model, computed by ONNX Runtime.

    Args:
        bert: the ``transformers`` BERT model to export (left unchanged, and in eval mode).
        threads: intra-op threads of the ONNX Runtime session.

    Raises:
        RuntimeError: the export or the session failed (the caller fails closed at start-up).
    """

    def __init__(self, bert: Any, threads: int) -> None:
        import onnxruntime as ort

        self._session = ort.InferenceSession(
            export_hidden_states(bert), _session_options(threads), providers=["CPUExecutionProvider"]
        )

    def __call__(self, inputs: dict[str, Any]) -> tuple[Any, ...]:
        """Hidden states as torch tensors, shape (batch, tokens, 384) each, layer 0 first."""
        import torch

        feeds = {name: inputs[name].numpy().astype(np.int64) for name in INPUT_NAMES}
        stacked = self._session.run(None, feeds)[0]
        return tuple(torch.from_numpy(stacked[i]) for i in range(stacked.shape[0]))


def _session_options(threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only
    # no busy-waiting after a run: on 2 cores the spinning threads took CPU from the next layer (PII,
    # the heads), which was slower by about a third with spinning on (safety/README.md, sixth round)
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def export_hidden_states(bert: Any) -> bytes:
    """The ONNX graph (serialised) of ``bert`` returning its stacked hidden states.

    Batch and sequence length are dynamic. The model is exported in eval mode (no dropout) and its
    training flag is restored afterwards.
    """
    import torch

    class _Stacked(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            states = self.model(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                output_hidden_states=True,
            ).hidden_states
            return torch.stack(states, 0)

    was_training = bool(bert.training)
    wrapper = _Stacked(bert).eval()
    example = torch.ones((1, 8), dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in INPUT_NAMES}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="minilm-onnx-") as folder,
            torch.no_grad(),
            warnings.catch_warnings(),
        ):
            # the tracer warns about shape checks it freezes; they hold for an encoder (no cache, no
            # causal mask) and the tests compare the graph with torch on padded batches
            warnings.simplefilter("ignore")
            path = Path(folder) / "minilm.onnx"
            torch.onnx.export(
                wrapper,
                (example, torch.ones_like(example), torch.zeros_like(example)),
                path,
                input_names=list(INPUT_NAMES),
                output_names=["hidden_states"],
                dynamic_axes={**dynamic, "hidden_states": {1: "batch", 2: "tokens"}},
                opset_version=17,
                dynamo=False,
            )
            graph = path.read_bytes()
    except Exception as error:  # any exporter failure is reported the same way
        raise RuntimeError(f"exporting MiniLM to ONNX failed: {error}") from error
    finally:
        bert.train(was_training)
    return graph
