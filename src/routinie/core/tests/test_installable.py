"""The app shell's version follows its files' bytes, and a missing shell file is caught."""

from pathlib import Path

import pytest

from routinie.core import installable


@pytest.fixture
def shell_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every shell file found in tmp_path instead of the static folders."""
    for name in installable.SHELL_STATIC:
        (tmp_path / name.replace("/", "_")).write_bytes(b"v1 " + name.encode())
    monkeypatch.setattr(
        installable.finders, "find", lambda path: str(tmp_path / path.replace("/", "_"))
    )
    installable.shell_version.cache_clear()
    yield tmp_path
    installable.shell_version.cache_clear()


def test_the_version_changes_when_one_shell_file_changes(shell_copy: Path) -> None:
    before = installable.shell_version()
    installable.shell_version.cache_clear()
    assert installable.shell_version() == before
    (shell_copy / "routinie_js_offline.js").write_bytes(b"v2")
    installable.shell_version.cache_clear()
    assert installable.shell_version() != before


def test_a_shell_file_that_does_not_exist_is_an_error(shell_copy: Path) -> None:
    (shell_copy / "routinie_css_app.css").unlink()
    installable.finders.find = lambda path: None  # type: ignore[assignment]
    with pytest.raises(LookupError, match=r"routinie/css/app\.css"):
        installable.shell_version()


def test_the_shell_holds_the_offline_page_and_every_icon() -> None:
    urls = installable.shell_urls()
    assert installable.OFFLINE_PAGE in urls
    for icon in installable.web_app_manifest()["icons"]:
        assert icon["src"] in urls
