"""Passwords (argon2), opaque session tokens (stored hashed) and signed invite tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verifying against this keeps a login for an unknown email as slow as one for a known email.
_DUMMY_HASH = _HASHER.hash("an unknown account takes as long as a known one")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_session_token() -> tuple[str, str]:
    """A fresh token for the client and the hash we store (a stolen table opens no session)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _signature(secret_key: str, purpose: str, value: str) -> str:
    digest = hmac.new(secret_key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def sign_id(secret_key: str, purpose: str, value: uuid.UUID) -> str:
    """``<id hex>.<signature>``: the id it names can be revoked in the database."""
    return f"{value.hex}.{_signature(secret_key, purpose, value.hex)}"


def verify_signed_id(secret_key: str, purpose: str, token: str) -> uuid.UUID | None:
    hex_id, _, signature = token.partition(".")
    if len(hex_id) != 32 or not signature:
        return None
    if not hmac.compare_digest(signature, _signature(secret_key, purpose, hex_id)):
        return None
    try:
        return uuid.UUID(hex=hex_id)
    except ValueError:
        return None
