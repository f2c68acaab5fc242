"""Accounts' e-mail tasks are safe to run twice (issue 15): when the queue runs a task again
(its worker died after sending, before the task was marked done), no second e-mail goes out
over real SMTP, and a reset link already sent keeps working."""

import re
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult
from tests.plugin import run_queued_tasks

from routinie.accounts.password_reset import request_reset, valid_link
from routinie.accounts.tasks import send_email_confirmation, send_password_reset

pytestmark = pytest.mark.django_db(transaction=True)

RESET_LINK = re.compile(r"/password-reset/([^/\s]+)/")


def _run_again(task: Any) -> None:
    """What the queue does with a task whose worker died: READY again, run by a worker."""
    done = DBTaskResult.objects.filter(task_path=task.module_path, status="SUCCESSFUL")
    assert done.update(status="READY") == 1
    run_queued_tasks()


def test_a_confirmation_task_run_again_sends_no_second_email(make_user, smtp_sink):
    make_user(email="ana@example.test", confirmed=False)
    run_queued_tasks()
    smtp_sink.wait_for(1)
    _run_again(send_email_confirmation)
    assert [r.rcpt_tos for r in smtp_sink.received] == [["ana@example.test"]]


def test_a_reset_task_run_again_sends_nothing_and_the_sent_link_still_works(make_user, smtp_sink):
    user, _ = make_user(email="ben@example.test")
    request_reset(email="ben@example.test", client="test-client")
    run_queued_tasks()
    (sent,) = smtp_sink.wait_for(1)
    secret = RESET_LINK.search(sent.text()).group(1)
    _run_again(send_password_reset)
    assert len(smtp_sink.received) == 1
    assert valid_link(secret).user_id == user.pk  # not replaced by a link never sent


def test_a_new_request_is_a_new_task_and_sends_again(make_user, smtp_sink):
    make_user(email="cleo@example.test")
    for _ in range(2):
        request_reset(email="cleo@example.test", client="test-client")
        run_queued_tasks()
    assert len(smtp_sink.wait_for(2)) == 2
