"""The comment form. It parses input; the rules live in `comments` (one place). The signed
form token is a hidden input of its own, checked by `comment_guard`."""

from typing import Any

from django import forms

from routinie.blog.comments import EMAIL_MAX
from routinie.blog.models import NAME_MAX, TEXT_MAX

HONEYPOT = "website"


class CommentForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX,
        help_text="Shown with your comment.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="E-mail address (optional)",
        required=False,
        max_length=EMAIL_MAX,
        help_text="Never shown. Give the same name and address as on an approved comment of "
        "yours and your comment appears at once.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(
        label="Comment",
        max_length=TEXT_MAX,
        help_text=f"Plain text, up to {TEXT_MAX} characters.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # The honeypot: hidden from people by a CSS class; a bot that fills it is ignored.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["email"]  # the account's address is on the account
