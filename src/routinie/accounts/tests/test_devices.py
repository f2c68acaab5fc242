import pytest

from routinie.accounts.devices import coarse_device

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
    " Version/17.0 Mobile/15E148 Safari/604.1"
)
EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0"
    " Safari/537.36 Edg/131.0"
)
MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 Chrome/131.0"
LINUX_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (LINUX_FIREFOX, "Firefox on Linux"),
        (IPHONE, "Safari on iPhone"),
        (EDGE, "Edge on Windows"),
        (MAC_CHROME, "Chrome on macOS"),
        ("curl/8.5.0", "curl client"),
        ("", "Unknown device"),
    ],
)
def test_coarse_device_names_browser_and_system_only(agent, device):
    assert coarse_device(agent) == device
