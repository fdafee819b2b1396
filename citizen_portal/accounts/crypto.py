"""Personal data at rest: identity document numbers are encrypted (AES-256-GCM) and looked
up through a keyed hash (a "blind index"), so that a copy of the database reveals neither.

Keys come from the environment: FIELD_ENCRYPTION_KEYS is a comma-separated list of base64
keys, the first used to encrypt and every one accepted to decrypt, so that keys can be rotated
(add a new key first, run `manage.py rotate_field_keys`, then drop the old one);
BLIND_INDEX_KEY keys the lookup hash and is never rotated without rebuilding the index. Both
default to keys derived from SECRET_KEY for a local install.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "v1"


class DecryptionError(Exception):
    """No configured key opens this value (a key was dropped before rotation finished)."""


def _derive(purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        settings.SECRET_KEY.encode()
    )


@cache
def _keys(configured: str) -> list[bytes]:
    if not configured:
        return [_derive(b"citizen-portal field encryption")]
    keys = [base64.urlsafe_b64decode(k.strip()) for k in configured.split(",") if k.strip()]
    if any(len(k) != 32 for k in keys):
        raise ValueError("FIELD_ENCRYPTION_KEYS must hold base64 keys of 32 bytes")
    return keys


def encryption_keys() -> list[bytes]:
    return _keys(settings.FIELD_ENCRYPTION_KEYS)


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def encrypt(plaintext: str) -> str:
    key = encryption_keys()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), key_id(key).encode())
    return f"{PREFIX}:{key_id(key)}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    _prefix, wanted, body = token.split(":", 2)
    raw = base64.urlsafe_b64decode(body)
    for key in encryption_keys():
        if key_id(key) == wanted:
            return AESGCM(key).decrypt(raw[:12], raw[12:], wanted.encode()).decode()
    raise DecryptionError(f"no configured key has id {wanted}")


def needs_rotation(token: str) -> bool:
    return token.split(":", 2)[1] != key_id(encryption_keys()[0])


def blind_index(value: str) -> str:
    key = (
        base64.urlsafe_b64decode(settings.BLIND_INDEX_KEY)
        if settings.BLIND_INDEX_KEY
        else _derive(b"citizen-portal blind index")
    )
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
