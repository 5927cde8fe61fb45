# A collection's module_utils, imported by its absolute name.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.farm.tools.plugins.module_utils.units import percent


def level(field, depth):
    return percent(field * 10 + depth)
