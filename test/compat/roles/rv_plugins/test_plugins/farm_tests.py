class TestModule(object):
    def tests(self):
        return {'irrigated': lambda field, wet=('north',): field in wet}
