// The parts of ansible-core 2.14's module_utils.urls that modules run on the host use (get_url,
// unarchive): Request.open (credentials from the URL or url_username, basic auth on a challenge or
// forced, .netrc, If-Modified-Since or no-cache, proxies, certificate checks, gzip), fetch_url and
// fetch_file, ported to Python 3's standard library on top of ANSIBLE_PY (util/ansible-py.ts). The
// module's url parameters are read with AnsibleModule's defaults where a module has none (unarchive).
export const URLS_PY = String.raw`
import base64, gzip, netrc, shutil, socket, ssl
import urllib.error, urllib.parse, urllib.request

def rfc2822_date_string(t, zone):
    return '%s, %02d %s %04d %02d:%02d:%02d %s' % (['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][t[6]], t[2], ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][t[1] - 1], t[0], t[3], t[4], t[5], zone)

def basic_auth_header(username, password):
    return 'Basic %s' % base64.b64encode(('%s:%s' % (username, password)).encode('utf-8')).decode('ascii')

class RequestWithMethod(urllib.request.Request):
    def __init__(self, url, method, data=None):
        self._method = (method or 'GET').upper()
        urllib.request.Request.__init__(self, url, data)
    def get_method(self):
        return self._method

def open_url(url, method, headers, force, last_mod_time, timeout, unredirected_headers, decompress, ciphers, use_netrc):
    headers = dict(headers or {})
    handlers = []
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != 'ftp':
        username, password = P.get('url_username'), P.get('url_password')
        if username:
            netloc = parsed.netloc
        elif '@' in parsed.netloc:
            credentials, netloc = parsed.netloc.split('@', 1)
            username, password = credentials.split(':', 1) if ':' in credentials else (credentials, '')
            url = urllib.parse.urlunparse(parsed._replace(netloc=netloc))
        if username and not P.get('force_basic_auth', False):
            passman = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passman.add_password(None, netloc, username, password)
            handlers.append(urllib.request.HTTPBasicAuthHandler(passman))
            handlers.append(urllib.request.HTTPDigestAuthHandler(passman))
        elif username and P.get('force_basic_auth', False):
            headers['Authorization'] = basic_auth_header(username, password)
        elif use_netrc:
            try:
                login = netrc.netrc(os.environ.get('NETRC')).authenticators(parsed.hostname)
            except (IOError, netrc.NetrcParseError):
                login = None
            if login and login[0] and login[2]:
                headers['Authorization'] = basic_auth_header(login[0], login[2])
    if not P.get('use_proxy', True):
        handlers.append(urllib.request.ProxyHandler({}))
    context = ssl.create_default_context() if P.get('validate_certs', True) else ssl._create_unverified_context()
    if ciphers:
        context.set_ciphers(':'.join(ciphers))
    if P.get('client_cert'):
        context.load_cert_chain(P['client_cert'], P.get('client_key'))
    handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    request = RequestWithMethod(url, method)
    if P.get('http_agent', 'ansible-httpget'):
        request.add_header('User-agent', P.get('http_agent', 'ansible-httpget'))
    if force:
        request.add_header('cache-control', 'no-cache')
    elif last_mod_time:
        request.add_header('If-Modified-Since', rfc2822_date_string(last_mod_time.timetuple(), 'GMT'))
    unredirected = [h.lower() for h in (unredirected_headers or [])]
    for header in headers:
        if header.lower() in unredirected:
            request.add_unredirected_header(header, headers[header])
        else:
            request.add_header(header, headers[header])
    r = opener.open(request, timeout=timeout)
    if decompress and r.headers.get('content-encoding', '').lower() == 'gzip':
        return r, gzip.GzipFile(fileobj=r)
    return r, r

def fetch_url(url, method, headers, force, last_mod_time, timeout, unredirected_headers, decompress, ciphers, use_netrc):
    info = dict(url=url, status=-1)
    r = body = None
    try:
        r, body = open_url(url, method, headers, force, last_mod_time, timeout, unredirected_headers, decompress, ciphers, use_netrc)
        info.update(dict((k.lower(), v) for k, v in r.info().items()))
        info.update(dict(msg='OK (%s bytes)' % r.headers.get('Content-Length', 'unknown'), url=r.geturl(), status=r.getcode()))
    except urllib.error.HTTPError as e:
        info.update({'msg': str(e), 'status': e.code})
        info.update(dict((k.lower(), v) for k, v in e.info().items()))
    except urllib.error.URLError as e:
        info.update(dict(msg='Request failed: %s' % e, status=int(getattr(e, 'code', -1))))
    except socket.error as e:
        info.update(dict(msg='Connection failure: %s' % e, status=-1))
    except Exception as e:
        info.update(dict(msg='An unknown error occurred: %s' % e, status=-1))
    return body, info

def fetch_file(url, timeout=10):
    # module_utils.urls.fetch_file: the URL downloaded into the module's temp folder, removed when it ends
    parts = urllib.parse.urlparse(url)
    file_name, file_ext = os.path.splitext(os.path.basename(parts.path))
    fd, path = tempfile.mkstemp(dir=module_tmpdir(), prefix=file_name, suffix=file_ext)
    try:
        rsp, info = fetch_url(url, None, None, False, None, timeout, None, True, None, True)
        if not rsp:
            fail('Failure downloading %s, %s' % (url, info['msg']))
        with os.fdopen(fd, 'wb') as f:
            shutil.copyfileobj(rsp, f)
    except Fail:
        raise
    except Exception as e:
        fail('Failure downloading %s, %s' % (url, e))
    return path
`;
