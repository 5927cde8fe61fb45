#!/usr/bin/python
# A module whose JSON result holds whole floats, as json.dumps writes them (1.0, 1e+20)
import json
print(json.dumps({'changed': False, 'whole': 1.0, 'big': 1e20, 'list': [2.0, 3], 'nan': float('nan')}))
