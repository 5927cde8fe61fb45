# Imported relatively by the module and absolutely by soil.py.
from __future__ import absolute_import, division, print_function
__metaclass__ = type


def percent(value):
    return '%d%%' % value
