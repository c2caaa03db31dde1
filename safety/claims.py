"""Known false health claims: match a text against the clinician-approved claim list (issue 4).

The misinformation head is a news-style detector trained on COVID fact-checks; it does not know the
myths a triage line hears ("put butter on the burn", "antibiotics will sort out my cold"). This layer
compares a text with the claims of ``health_claims.yaml`` in MiniLM's sentence-embedding space:

- each claim has *myth anchors* (the claim and its paraphrases) and *counter anchors* (true statements
  that share its words, plus its own correction);
- a text and each of its sentences is a *segment*; a segment matches a claim when its cosine
  similarity to the nearest myth anchor is at least the layer threshold **and** exceeds its similarity
  to the nearest counter anchor by at least ``margin`` (so "do not put butter on a burn" is not read
  as the myth);
- the signal's score is the best matching similarity and its ``rule_id`` the claim id, so the agent can
  add that claim's approved correction and the audit row names it.

The encoder is the one the classifier heads share (one cached encode of the whole text); the sentences
of a longer text cost one more batched encode, and only when the whole text is near some myth
(``sentence_gate``).
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from clinical_policies import HealthClaim, PolicyBundle
from safety.config import ClaimMatchingConfig
from safety.embeddings import TextEncoder
from safety.features import BASE, columns
from safety.types import CheckContext, CheckResult, Signal

CATEGORY = "misinformation"
OUTPUT_LAYER = "known_claims"  # drafts: a match blocks to the approved text
INPUT_LAYER = "known_claims_input"  # patient turns: a match is recorded, the agent adds the correction
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class SegmentScores:
    """One text's similarities: rows are its segments (whole text first), columns the claims.

    ``cued[i]`` says whether segment ``i`` contains a refutation cue, i.e. could be a myth's negation;
    the counter margin applies to those segments only.
    """

    myth: npt.NDArray[np.float32]
    counter: npt.NDArray[np.float32]
    cued: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ClaimMatch:
    """The best claim a text matched: which, how close, and how much closer than to its counters."""

    claim_id: str
    similarity: float
    margin: float


def approved_texts(bundle: PolicyBundle) -> list[str]:
    """Every patient-facing text the agent sends verbatim (not model instructions), corrections included."""
    messages = bundle.messages
    texts = [
        messages.greeting,
        messages.disclaimer,
        messages.model_unavailable,
        messages.escalated_to_clinician,
    ]
    for item in bundle.dispositions:
        texts += [item.patient_message, item.safety_net]
    texts += [q.text for protocol in bundle.triage_rules for q in protocol.questions]
    texts += [q.text for q in bundle.engine.questions]
    if bundle.engine.complaint_question is not None:
        texts.append(bundle.engine.complaint_question.text)
    texts += [m.text for m in bundle.refusal_messages]
    texts += [c.correction for c in bundle.health_claims]
    return list(dict.fromkeys(texts))


def segments(text: str, max_sentences: int, min_words: int) -> list[str]:
    """The whole text, then its first ``max_sentences`` sentences of ``min_words`` words or more.

    A one-sentence text is one segment.
    """
    whole = " ".join(text.split())
    if not whole:
        return []
    parts = [" ".join(p.split()) for p in _SENTENCE_BREAK.split(text)]
    sentences = [p for p in parts if len(_WORD.findall(p)) >= min_words]
    sentences = [s for s in dict.fromkeys(sentences[:max_sentences]) if s != whole]
    return [whole, *sentences]


class ClaimMatcher:
    """A pipeline check that names the known false claim a text states or asks about.

    Args:
        name: layer name in the safety config (``known_claims`` on drafts, ``known_claims_input``).
        encoder: the shared sentence encoder; its ``mean6`` block (the sentence embedding) is used.
        claims: the policy bundle's ``health_claims``.
        margin: how much closer to the myth than to its counters a segment must be.
        max_sentences: sentences of a long text that are checked one by one.
        min_words: shorter sentences ("yes.", "OK!") are only seen as part of the whole text.
        sentence_gate: sentences are checked one by one only when the whole text's similarity to some
            myth reaches this (a speed gate; 0 checks every text's sentences).
        refutation_cues: regular expressions (negations, "myth", "instead"...); when given, the margin
            applies only to segments containing one (a segment without any cannot negate the myth).
            ``None``: the margin applies to every segment.
        shared_counters: true statements that are counter anchors of every claim (the approved texts,
            :func:`approved_texts`); each is used whole and sentence by sentence.

    Raises:
        ValueError: no claims, a negative margin, or a cue that is not a valid regular expression.
    """

    def __init__(
        self,
        name: str,
        encoder: TextEncoder,
        claims: Sequence[HealthClaim],
        *,
        margin: float = 0.0,
        max_sentences: int = 8,
        min_words: int = 3,
        sentence_gate: float = 0.0,
        refutation_cues: Sequence[str] | None = None,
        shared_counters: Sequence[str] = (),
    ) -> None:
        if not claims:
            raise ValueError("no health claims to match against")
        if margin < 0:
            raise ValueError(f"margin must be >= 0, not {margin}")
        self.name = name
        self.encoder = encoder
        features = getattr(encoder, "features", None)  # the sentence embedding is the encoder's mean6 block
        self._base_columns = None if features is None or features == BASE else columns(BASE, features)
        self.margin = margin
        self._max_sentences = max_sentences
        self._min_words = min_words
        self._sentence_gate = sentence_gate
        try:
            self._cues = (
                re.compile(r"\b(?:" + "|".join(refutation_cues) + r")\b", re.IGNORECASE)
                if refutation_cues
                else None
            )
        except re.error as error:
            raise ValueError(f"refutation cues are not a valid regular expression: {error}") from None
        self._claim_ids = [c.id for c in claims]
        self._myth_texts: list[str] = []
        self._myth_owner: list[int] = []
        self._counter_texts: list[str] = []
        self._counter_owner: list[int] = []
        for index, claim in enumerate(claims):
            for text in (claim.claim, *claim.paraphrases):
                self._myth_texts.append(text)
                self._myth_owner.append(index)
            for text in (*claim.counter_statements, claim.correction):
                self._counter_texts.append(text)
                self._counter_owner.append(index)
        self._shared_texts = list(
            dict.fromkeys(seg for text in shared_counters for seg in segments(text, 64, min_words))
        )
        # shared with renamed copies (the input and output layers embed the anchors once)
        self._anchors: dict[str, npt.NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def renamed(self, name: str) -> ClaimMatcher:
        """The same matcher (same anchors, computed once) under another layer name."""
        twin = copy.copy(self)
        twin.name = name
        return twin

    @classmethod
    def from_config(
        cls, name: str, encoder: TextEncoder, bundle: PolicyBundle, matching: ClaimMatchingConfig
    ) -> ClaimMatcher:
        """The matcher ``safety_config.yaml``'s ``claim_matching`` describes, on the bundle's claims."""
        return cls(
            name,
            encoder,
            bundle.health_claims,
            margin=matching.margin,
            max_sentences=matching.max_sentences,
            min_words=matching.min_words,
            sentence_gate=matching.sentence_gate,
            refutation_cues=matching.refutation_cues,
            shared_counters=approved_texts(bundle) if matching.approved_texts_as_counters else (),
        )

    def _sentence_vectors(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        vectors = self.encoder.encode(texts)
        return vectors if self._base_columns is None else vectors[:, self._base_columns]

    def _claim_scores(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Myth and counter similarity per text (rows) and claim (columns); empty input, empty rows."""
        if not texts:
            empty = np.zeros((0, len(self._claim_ids)), dtype=np.float32)
            return empty, empty
        myths, counters, shared = self._anchor_vectors()
        vectors = self._sentence_vectors(texts)
        return self._per_claim_max(vectors @ myths.T, self._myth_owner), self._counter_max(
            vectors, counters, shared
        )

    def _anchor_vectors(
        self,
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Myth, counter and shared counter embeddings, computed once on first use (~1 s per 500 texts)."""
        with self._lock:
            if not self._anchors:
                self._anchors["myths"] = self._embed_all(self._myth_texts)
                self._anchors["counters"] = self._embed_all(self._counter_texts)
                self._anchors["shared"] = (
                    self._embed_all(self._shared_texts)
                    if self._shared_texts
                    else np.zeros((0, self._anchors["myths"].shape[1]), dtype=np.float32)
                )
            return self._anchors["myths"], self._anchors["counters"], self._anchors["shared"]

    def _counter_max(
        self,
        vectors: npt.NDArray[np.float32],
        counters: npt.NDArray[np.float32],
        shared: npt.NDArray[np.float32],
    ) -> npt.NDArray[np.float32]:
        """Per segment and claim: the nearest of the claim's own and the shared counter anchors."""
        own = self._per_claim_max(vectors @ counters.T, self._counter_owner)
        if shared.shape[0] == 0:
            return own
        nearest_shared: npt.NDArray[np.float32] = (vectors @ shared.T).max(axis=1, keepdims=True)
        return np.maximum(own, nearest_shared)

    def _embed_all(self, texts: list[str]) -> npt.NDArray[np.float32]:
        return np.concatenate([self._sentence_vectors(texts[i : i + 256]) for i in range(0, len(texts), 256)])

    def warm_up(self) -> None:
        """Embed the anchors now (start-up) instead of on the first patient turn."""
        self._anchor_vectors()

    def _per_claim_max(
        self, similarities: npt.NDArray[np.float32], owners: list[int]
    ) -> npt.NDArray[np.float32]:
        """Rows: segments; columns: claims; value: the best similarity to that claim's anchors."""
        out = np.full((similarities.shape[0], len(self._claim_ids)), -1.0, dtype=np.float32)
        np.maximum.at(out.T, np.asarray(owners), similarities.T)
        return out

    def _cued(self, segs: Sequence[str]) -> npt.NDArray[np.bool_]:
        if self._cues is None:
            return np.ones(len(segs), dtype=bool)
        return np.array([bool(self._cues.search(seg)) for seg in segs], dtype=bool)

    def similarities(self, texts: Sequence[str]) -> list[SegmentScores]:
        """Per text: its :class:`SegmentScores` (rows = segments, columns = claims).

        Row 0 is the whole text (already encoded by the classifier heads, so cached). Its sentences are
        encoded, as one more batch, only when the whole text is within ``sentence_gate`` of some myth:
        a text far from every myth has no sentence that matches one (0 of 4,840 decisions changed on the
        calibration sets at the shipped gate; safety/README.md, sixth round).
        """
        wholes = [" ".join(t.split()) for t in texts]
        present = [w for w in wholes if w]
        whole_myth, whole_counter = self._claim_scores(present)
        row_of = {w: i for i, w in enumerate(present)}
        extra: dict[int, list[str]] = {}
        for index, (text, whole) in enumerate(zip(texts, wholes, strict=True)):
            if whole and float(whole_myth[row_of[whole]].max()) >= self._sentence_gate:
                extra[index] = segments(text, self._max_sentences, self._min_words)[1:]
        sentence_myth, sentence_counter = self._claim_scores([s for segs in extra.values() for s in segs])
        out = []
        start = 0
        empty = np.zeros((0, len(self._claim_ids)), dtype=np.float32)
        for index, whole in enumerate(wholes):
            if not whole:
                out.append(SegmentScores(empty, empty, np.zeros(0, dtype=bool)))
                continue
            sentences = extra.get(index, [])
            n = len(sentences)
            r = row_of[whole]
            out.append(
                SegmentScores(
                    np.vstack([whole_myth[r : r + 1], sentence_myth[start : start + n]]),
                    np.vstack([whole_counter[r : r + 1], sentence_counter[start : start + n]]),
                    self._cued([whole, *sentences]),
                )
            )
            start += n
        return out

    def pick(self, scores: SegmentScores, margin: float) -> ClaimMatch | None:
        """The claim with the highest myth similarity over the segments ``margin`` allows (None: none).

        The margin is required only of cued segments (every segment when no cues are configured).
        """
        myth_sim, counter_sim = scores.myth, scores.counter
        if myth_sim.size == 0:
            return None
        allowed = (myth_sim - counter_sim >= margin) | ~scores.cued[:, None]
        scored = np.where(allowed, myth_sim, -np.inf)
        segment, claim = np.unravel_index(int(np.argmax(scored)), scored.shape)
        if not np.isfinite(scored[segment, claim]):
            return None
        best = float(myth_sim[segment, claim])
        return ClaimMatch(self._claim_ids[claim], best, best - float(counter_sim[segment, claim]))

    def best_matches(self, texts: Sequence[str]) -> list[ClaimMatch | None]:
        """For each text, the claim with the highest myth similarity among those its margin allows."""
        return [self.pick(scores, self.margin) for scores in self.similarities(texts)]

    def score(self, texts: Sequence[str]) -> list[Signal]:
        """One signal per text: score = best allowed myth similarity (0 when none), ``rule_id`` = claim."""
        return [
            Signal(CATEGORY, max(0.0, m.similarity), rule_id=m.claim_id) if m else Signal(CATEGORY, 0.0)
            for m in self.best_matches(texts)
        ]

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Pipeline check interface."""
        return CheckResult(tuple(self.score([text])))
