#!/usr/bin/python
# A module of a collection in the playbook's collections/ folder: its module_utils travel with it.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.farm.tools.plugins.module_utils.soil import level
from ..module_utils.units import percent


def main():
    module = AnsibleModule(
        argument_spec=dict(field=dict(type='int', required=True), depth=dict(type='int', default=0), data=dict(type='str')),
        supports_check_mode=True,
    )
    p = module.params
    module.exit_json(changed=p['field'] > 5, level=level(p['field'], p['depth']), raw=percent(p['field']), data=p['data'], name=__name__, check=module.check_mode)


if __name__ == '__main__':
    main()
