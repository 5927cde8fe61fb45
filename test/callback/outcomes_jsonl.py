# ansible.posix.jsonl, but a result is always filed under its own task. Under a lockstep strategy
# jsonl files a result under the task started last; while a flush runs a handler on the hosts it
# notified, the other hosts go on to the next task in the same round, so their results were filed
# under the handler (or the handler's under their task). test/play-outcomes.ts reads this.
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = '''
    name: outcomes_jsonl
    short_description: ansible.posix.jsonl, each result under its own task
    description:
        - ansible.posix.jsonl's events, a result always filed under its own task.
    type: stdout
    requirements:
      - Set as stdout in config
    options:
      show_custom_stats:
        description: 'The custom stats set via the set_stats plugin in the play recap'
        default: False
        type: bool
      json_indent:
        description: 'Spaces of indenting in the JSON output; <= 0: a single line.'
        default: 0
        type: integer
'''

from ansible.module_utils._text import to_text
from ansible_collections.ansible.posix.plugins.callback.jsonl import CallbackModule as Jsonl


class CallbackModule(Jsonl):
    CALLBACK_NAME = 'outcomes_jsonl'

    def _find_result_task(self, host, task):
        found = super(CallbackModule, self)._find_result_task(host, task)
        return found if found['task']['id'] == to_text(task._uuid) else self._new_task(task)
