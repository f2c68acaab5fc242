"""The forgotten timer (issue 17): a banner and one e-mail when a timer has run longer than the
person's threshold, with "stop it at the time I left"; and idle time found in the page."""
