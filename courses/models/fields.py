"""Model fields that keep personal data encrypted at rest."""

from __future__ import annotations

from django.db import models

from ..crypto import decrypt_text, encrypt_text, keyed_hash


class EncryptedTextField(models.TextField):
    """Clear text in Python, a Fernet token in the database ("" stays "").

    The token differs at every save, so the column cannot be searched or made unique:
    pair it with a `KeyedHashField` for that.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_text(value)


class KeyedHashField(models.CharField):
    """The keyed hash of another field of the model, recomputed on every save."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        if kwargs.get("default") == "":
            kwargs.pop("default")
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        clear = getattr(model_instance, self.source) or ""
        value = keyed_hash(clear) if clear else ""
        setattr(model_instance, self.attname, value)
        return value
