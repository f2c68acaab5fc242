"""Several callers at the same moment, as several processes or app servers would be."""

import threading
from collections.abc import Callable

from django.db import connections


def at_once(callers: int, work: Callable[[], None]) -> None:
    """Run `work` in `callers` threads released together, each on its own database
    connection; the first error any of them raised is raised here."""
    start, errors = threading.Barrier(callers), list[BaseException]()

    def caller() -> None:
        try:
            start.wait()
            work()
        except BaseException as error:  # handed to the test, raised there
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
