"""The API description's operation ids are what generated clients name their methods after:
moving code inside an app (tracking's concepts) must not rename them."""

from routinie.api import api


def _operation_ids() -> set[str]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
    }


def test_operation_ids_name_the_app_and_the_function_not_the_sub_package():
    ids = _operation_ids()
    for expected in (
        "routinie_tracking_api_list_projects",  # routinie.tracking.entries.api
        "routinie_tracking_api_start_timer",
        "routinie_tracking_api_check_in",  # routinie.tracking.routines.api
        "routinie_tracking_api_summary",  # routinie.tracking.reports.api
        "routinie_accounts_api_delete_me",  # served by privacy, named as before
        "routinie_privacy_export_api_start",  # a module of its own at the app's top
    ):
        assert expected in ids, sorted(ids)
    assert not [i for i in ids if "_entries_api_" in i or "_routines_api_" in i]


def test_operation_ids_are_unique():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    ids = [op["operationId"] for methods in schema["paths"].values() for op in methods.values()]
    assert len(ids) == len(set(ids))
