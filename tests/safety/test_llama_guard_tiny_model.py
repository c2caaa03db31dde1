"""A randomly initialised tiny Llama + tokenizer built here: its output is garbage and must BLOCK."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
from tokenizers import Tokenizer, models, pre_tokenizers, trainers  # noqa: E402

from safety import Decision, LlamaGuardCheck, SafetyPipeline, TransformersGuardModel, render_prompt  # noqa: E402

SPECIAL = ["<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>", "<pad>"]


def build_tiny_checkpoint(path, corpus):
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator(
        corpus, trainers.BpeTrainer(vocab_size=400, special_tokens=SPECIAL, show_progress=False)
    )
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>", pad_token="<pad>"
    )
    torch.manual_seed(0)
    config = transformers.LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=8192,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = transformers.LlamaForCausalLM(config)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)


def test_tiny_random_llama_guard_fails_closed(bundle, tmp_path):
    corpus = [render_prompt([("User", "I have a fever")], bundle.safety_categories), "safe unsafe S1 S6 S11"]
    build_tiny_checkpoint(tmp_path, corpus)
    guard = TransformersGuardModel(tmp_path, max_new_tokens=6)
    check = LlamaGuardCheck(guard, bundle.safety_categories, "input")
    pipeline = SafetyPipeline([check], [])
    completion = guard(check.prompt("I have a fever", __import__("safety").CheckContext()))
    assert isinstance(completion, str)
    verdict = pipeline.check_input("I have a fever")
    if completion.strip() == "safe":  # vanishingly unlikely from random weights, but it would be valid
        assert verdict.decision is Decision.ALLOW
    else:
        assert verdict.decision is Decision.BLOCK
        assert (
            verdict.triggers[0].rule_id in ("LG-UNPARSEABLE",) or verdict.triggers[0].layer == "llama_guard"
        )


def test_missing_checkpoint_fails_closed(bundle, tmp_path):
    check = LlamaGuardCheck(TransformersGuardModel(tmp_path / "absent"), bundle.safety_categories, "input")
    verdict = SafetyPipeline([check], []).check_input("hello")
    assert verdict.decision is Decision.BLOCK
    assert verdict.reason_category == "system_error"
