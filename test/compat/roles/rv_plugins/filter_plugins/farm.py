# A role's Python filter plugin, as Galaxy roles ship them
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.errors import AnsibleFilterError


def hectares(acres, digits=2, unit=None):
    if acres < 0:
        raise AnsibleFilterError('acres must not be negative')
    value = round(acres * 0.404686, digits)
    return {'value': value, 'unit': unit or 'ha'}


def fields(rows):
    return sorted({r['field'] for r in rows})


class FilterModule(object):
    def filters(self):
        return {'hectares': hectares, 'fields': fields}
