#!/usr/bin/python
# A module that takes an int and answers with ints past 2**53: its argument plus one, and 2**70 + 3
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec={'n': {'type': 'int'}})
m.exit_json(changed=False, next=m.params['n'] + 1, big=2**70 + 3)
