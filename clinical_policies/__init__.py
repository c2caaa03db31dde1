"""Clinical policy bundle: versioned, validated, hashed data files a clinician can review.

Only data lives here (YAML + the pydantic schema that validates it). Python elsewhere never
hard-codes clinical text; it reads it from the :class:`PolicyBundle`.
"""

from clinical_policies.errors import PolicyError
from clinical_policies.loader import DEFAULT_POLICY_DIR, load_policy_bundle
from clinical_policies.schema import (
    ConstitutionPrinciple,
    Manifest,
    PatientMessages,
    PolicyBundle,
)
from clinical_policies.schema_claims import HealthClaim

__all__ = [
    "DEFAULT_POLICY_DIR",
    "ConstitutionPrinciple",
    "HealthClaim",
    "Manifest",
    "PatientMessages",
    "PolicyBundle",
    "PolicyError",
    "load_policy_bundle",
]
