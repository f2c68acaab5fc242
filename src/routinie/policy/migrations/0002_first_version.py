"""Publish the privacy policy that ships with the platform (version 1)."""

from django.db import migrations

from routinie.policy.first_version import ensure_first_version


def publish_first_version(apps, schema_editor):
    ensure_first_version(apps.get_model("policy", "PolicyVersion"))


def unpublish(apps, schema_editor):
    apps.get_model("policy", "PolicyVersion").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(publish_first_version, unpublish)]
