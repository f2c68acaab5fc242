"""Support: conversations from in-app chat and inbound e-mail, staff replies."""
