"""The read replica's router and helpers (core/replica.py) as the suite runs them: without
DATABASE_REPLICA_URL. Nothing changes then: no query, no cache entry, every read on the
primary. With a replica, tests/e2e/test_read_replica.py shows the routing from outside."""

from uuid import uuid4

import pytest
from django.db import transaction
from tests.plugin import cache_keys

from routinie.core import replica


def test_wal_positions_compare_as_postgresql_orders_them():
    assert replica.lsn_value("16/B374D848") == 0x16_B374D848
    positions = ["0/3000060", "0/30000D8", "0/FFFFFFFF", "1/0", "A/0", replica.UNKNOWN_POSITION]
    assert sorted(positions, key=replica.lsn_value) == positions


@pytest.mark.django_db
def test_without_a_replica_nothing_is_asked_nor_remembered(django_assert_num_queries):
    person = uuid4()
    assert not replica.configured()
    with django_assert_num_queries(0):
        replica.remember_write(person)
        with replica.lag_tolerant(person) as source:
            assert source == replica.PRIMARY
        assert replica.run_lag_tolerant(person, lambda: "read") == "read"
    assert cache_keys() == []


def test_writes_and_migrations_go_to_the_primary_only():
    router = replica.ReplicaRouter()
    assert router.db_for_write(None) == replica.PRIMARY
    assert router.allow_migrate(replica.PRIMARY, "tracking")
    assert not router.allow_migrate(replica.REPLICA, "tracking")


@pytest.mark.django_db(transaction=True)
def test_reads_go_to_the_replica_only_in_a_lag_tolerant_block_outside_a_transaction():
    router = replica.ReplicaRouter()
    assert router.db_for_read(None) == replica.PRIMARY
    token = replica._reads_from.set(replica.REPLICA)  # as lag_tolerant sets it
    try:
        assert router.db_for_read(None) == replica.REPLICA
        with transaction.atomic():  # it may read what it wrote: the primary
            assert router.db_for_read(None) == replica.PRIMARY
    finally:
        replica._reads_from.reset(token)
    assert router.db_for_read(None) == replica.PRIMARY
