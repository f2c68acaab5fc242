"""Markdown written by staff (the privacy policy, blog posts), rendered to HTML that is safe to
show: no script, style, iframe or other embed, no event handler, no `javascript:` link, images
only from our own origin (P02, P03), and every link marked `nofollow noopener`."""

from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

# nh3's defaults, less the image maps (another way to carry links) and the old presentational tags.
TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area", "center", "font"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"


def is_own_origin(url: str) -> bool:
    """A relative URL, or an absolute one on this site (settings.SITE_URL)."""
    cleaned = url.strip().replace("\\", "/")  # browsers read "/\host" as "//host"
    if not cleaned or any(ord(c) < 0x20 for c in cleaned):
        return False
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return False
    if not parts.scheme and not parts.netloc:
        return True
    site = urlsplit(settings.SITE_URL)
    return (parts.scheme.lower(), parts.netloc.lower()) == (site.scheme, site.netloc.lower())


def _only_our_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_own_origin(value):
        return None
    return value


def sanitise_html(html: str) -> str:
    """Keep harmless markup only (see the module's docstring)."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=_only_our_images,
    )


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: nothing runs, nothing is fetched from elsewhere."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists", "fenced_code"])
    return mark_safe(sanitise_html(html))  # noqa: S308 (sanitised just above)
