class FilterModule(object):
    def filters(self):
        return {'shout': lambda s, mark='!': s.upper() + mark}
