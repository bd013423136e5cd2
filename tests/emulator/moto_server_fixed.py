#!/usr/bin/env python3
"""moto_server with one correction the emulator stage needs.

moto 5.2.5 registers the task definition of an updated
AWS::ECS::TaskDefinition with CloudFormation's key names (`Name`, `Image`),
so the new revision has no container name or image and a stack update that
changes an image cannot be observed. On create it converts them to the ECS
API's names; this applies the same conversion on update. docs/emulator.md
lists it with the other gaps.
"""

import sys

from moto.core.utils import pascal_to_camelcase, remap_nested_keys
from moto.ecs.models import TaskDefinition
from moto.server import main

_update = TaskDefinition.update_from_cloudformation_json.__func__


def _update_with_api_names(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    properties = dict(cloudformation_json.get("Properties", {}))
    for key in ("ContainerDefinitions", "Volumes"):
        if key in properties:
            properties[key] = remap_nested_keys(properties[key], pascal_to_camelcase)
    fixed = dict(cloudformation_json, Properties=properties)
    return _update(cls, original_resource, new_resource_name, fixed, account_id, region_name)


TaskDefinition.update_from_cloudformation_json = classmethod(_update_with_api_names)

if __name__ == "__main__":
    main(sys.argv[1:])
