"""Password rules beyond Django's own (P13): Django checks length, common passwords and
similarity to the name and e-mail; this adds the digit the policy asks for."""

from django.core.exceptions import ValidationError


class ContainsDigitValidator:
    def validate(self, password: str, user: object = None) -> None:
        if not any(ch.isdigit() for ch in password):
            raise ValidationError(
                "This password has no digit. It must contain at least one number (0-9).",
                code="password_no_digit",
            )

    def get_help_text(self) -> str:
        return "Your password must contain at least one number (0-9)."


PASSWORD_RULES = [
    ("length", "At least 8 characters"),
    ("digit", "At least one number (0-9)"),
    ("common", "Not a commonly used password"),
    ("similar", "Not too similar to your name or e-mail address"),
]
