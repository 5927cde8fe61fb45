// The host side of `get_url`: ansible-core 2.14's get_url module, ported to Python 3's standard
// library on top of ANSIBLE_PY (util/ansible-py.ts) and URLS_PY (util/urls-py.ts: fetch_url).
export const GET_URL_PY = String.raw`
import datetime, hashlib, shutil, time

def url_filename(url):
    fn = os.path.basename(urllib.parse.urlsplit(url)[2])
    return fn or 'index.html'

def url_get(url, dest, last_mod_time, force, timeout=10, headers=None, tmp_dest='', method='GET'):
    start = datetime.datetime.utcnow()
    rsp, info = fetch_url(url, method, headers, force, last_mod_time, timeout, P['unredirected_headers'], P['decompress'], P['ciphers'], P['use_netrc'])
    elapsed = (datetime.datetime.utcnow() - start).seconds
    if info['status'] == 304:
        raise Done(url=url, dest=dest, changed=False, msg=info.get('msg', ''), status_code=info['status'], elapsed=elapsed)
    if info['status'] == -1:
        fail(info['msg'], url=url, dest=dest, elapsed=elapsed)
    if info['status'] != 200 and not url.startswith('file:/') and not (url.startswith('ftp:/') and info.get('msg', '').startswith('OK')):
        fail('Request failed', status_code=info['status'], response=info['msg'], url=url, dest=dest, elapsed=elapsed)
    if tmp_dest:
        if not os.path.isdir(tmp_dest):
            if os.path.exists(tmp_dest):
                fail('%s is a file but should be a directory.' % tmp_dest, elapsed=elapsed)
            fail('%s directory does not exist.' % tmp_dest, elapsed=elapsed)
    else:
        tmp_dest = module_tmpdir()
    fd, tempname = tempfile.mkstemp(dir=tmp_dest)
    with os.fdopen(fd, 'wb') as f:
        try:
            shutil.copyfileobj(rsp, f)
        except Exception as e:
            os.remove(tempname)
            fail('failed to create temporary content file: %s' % e, elapsed=elapsed)
    rsp.close()
    return tempname, info

def extract_filename_from_headers(headers):
    match = re.match('attachment; ?filename="?([^"]+)', headers.get('content-disposition', ''))
    return os.path.basename(match.group(1)) if match else None

def is_url(checksum):
    return urllib.parse.urlsplit(checksum).scheme in ('http', 'https', 'ftp', 'file')

def digest_from_file(path, algorithm):
    if algorithm not in hashlib.algorithms_available:
        fail("Could not hash file '%s' with algorithm '%s'. Available algorithms: %s" % (path, algorithm, ', '.join(sorted(hashlib.algorithms_available))))
    if not os.path.exists(path):
        return None
    h = hashlib.new(algorithm)
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(64 * 1024), b''):
            h.update(block)
    return h.hexdigest()

def backup_local(fn):
    ext = time.strftime('%Y-%m-%d@%H:%M:%S~', time.localtime(time.time()))
    backupdest = '%s.%s.%s' % (fn, os.getpid(), ext)
    try:
        shutil.copy2(fn, backupdest)
    except (shutil.Error, IOError) as e:
        fail('Could not make backup of %s to %s: %s' % (fn, backupdest, e))
    return backupdest

def atomic_move(src, dest):
    creating = not os.path.exists(dest)
    if not creating:
        st = os.stat(dest)
        os.chmod(src, stat.S_IMODE(st.st_mode))
        try:
            os.chown(src, st.st_uid, st.st_gid)
        except OSError:
            pass
    try:
        os.rename(src, dest)
    except OSError:
        fd, tmp = tempfile.mkstemp(prefix='.ansible_tmp', dir=os.path.dirname(dest) or '.')
        os.close(fd)
        shutil.copy2(src, tmp)
        os.rename(tmp, dest)
        os.remove(src)
    if creating:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(dest, 0o666 & ~umask)

def main():
    url, dest, force, timeout, headers, tmp_dest = P['url'], P['dest'], P['force'], P['timeout'], P['headers'], P['tmp_dest']
    checksum = P['checksum']
    result = dict(changed=False, checksum_dest=None, checksum_src=None, dest=dest, elapsed=0, url=url)
    dest_is_dir = os.path.isdir(dest)
    last_mod_time = None
    if checksum:
        try:
            algorithm, checksum = checksum.split(':', 1)
        except ValueError:
            fail('The checksum parameter has to be in format <algorithm>:<checksum>', **result)
        if is_url(checksum):
            checksum_url = checksum
            checksum_tmpsrc, checksum_info = url_get(checksum_url, dest, last_mod_time, force, timeout, headers, tmp_dest)
            with open(checksum_tmpsrc) as f:
                lines = [line.rstrip('\n') for line in f]
            os.remove(checksum_tmpsrc)
            checksum_map = []
            filename = url_filename(url)
            if len(lines) == 1 and len(lines[0].split()) == 1:
                checksum_map.append((lines[0], filename))
            else:
                for line in lines:
                    parts = line.split(' ', 1)
                    if len(parts) == 2:
                        if parts[1].startswith((' ', '*')):
                            parts[1] = parts[1][1:]
                        checksum_map.append((parts[0], parts[1].lstrip('./')))
            for cksum in (s for (s, f) in checksum_map if f == filename):
                checksum = cksum
                break
            else:
                checksum = None
            if checksum is None:
                fail("Unable to find a checksum for file '%s' in '%s'" % (filename, checksum_url))
        checksum = re.sub(r'\W+', '', checksum).lower()
        try:
            int(checksum, 16)
        except ValueError:
            fail('The checksum format is invalid', **result)
    if not dest_is_dir and os.path.exists(dest):
        checksum_mismatch = False
        if not force and checksum != '':
            if checksum != digest_from_file(dest, algorithm):
                checksum_mismatch = True
        if not force and checksum and not checksum_mismatch:
            file_args = dict(path=dest, mode=P['mode'], owner=P['owner'], group=P['group'])
            result['changed'] = set_fs_attributes_if_different(file_args, False)
            if result['changed']:
                raise Done(msg='file already exists but file attributes changed', **result)
            raise Done(msg='file already exists', **result)
        last_mod_time = datetime.datetime.utcfromtimestamp(os.path.getmtime(dest))
        if checksum_mismatch:
            force = True
    start = datetime.datetime.utcnow()
    method = 'HEAD' if CHECK else 'GET'
    tmpsrc, info = url_get(url, dest, last_mod_time, force, timeout, headers, tmp_dest, method)
    result['elapsed'] = (datetime.datetime.utcnow() - start).seconds
    result['src'] = tmpsrc
    if dest_is_dir:
        filename = extract_filename_from_headers(info)
        if not filename:
            filename = url_filename(info['url'])
        dest = os.path.join(dest, filename)
        result['dest'] = dest
    if not os.path.exists(tmpsrc):
        fail('Request failed', status_code=info['status'], response=info['msg'], **result)
    if not os.access(tmpsrc, os.R_OK):
        os.remove(tmpsrc)
        fail('Source %s is not readable' % tmpsrc, **result)
    result['checksum_src'] = digest_from_file(tmpsrc, 'sha1')
    if os.path.exists(dest):
        if not os.access(dest, os.W_OK):
            os.remove(tmpsrc)
            fail('Destination %s is not writable' % dest, **result)
        if not os.access(dest, os.R_OK):
            os.remove(tmpsrc)
            fail('Destination %s is not readable' % dest, **result)
        result['checksum_dest'] = digest_from_file(dest, 'sha1')
    else:
        if not os.path.exists(os.path.dirname(dest)):
            os.remove(tmpsrc)
            fail('Destination %s does not exist' % os.path.dirname(dest), **result)
        if not os.access(os.path.dirname(dest), os.W_OK):
            os.remove(tmpsrc)
            fail('Destination %s is not writable' % os.path.dirname(dest), **result)
    if CHECK:
        if os.path.exists(tmpsrc):
            os.remove(tmpsrc)
        result['changed'] = ('checksum_dest' not in result or result['checksum_src'] != result['checksum_dest'])
        raise Done(msg=info.get('msg', ''), **result)
    backup_file = None
    if result['checksum_src'] != result['checksum_dest']:
        try:
            if P['backup'] and os.path.exists(dest):
                backup_file = backup_local(dest)
            atomic_move(tmpsrc, dest)
        except Fail:
            raise
        except Exception as e:
            if os.path.exists(tmpsrc):
                os.remove(tmpsrc)
            fail('failed to copy %s to %s: %s' % (tmpsrc, dest, e), **result)
        result['changed'] = True
    else:
        result['changed'] = False
        if os.path.exists(tmpsrc):
            os.remove(tmpsrc)
    if checksum != '':
        destination_checksum = digest_from_file(dest, algorithm)
        if checksum != destination_checksum:
            os.remove(dest)
            fail('The checksum for %s did not match %s; it was %s.' % (dest, checksum, destination_checksum), **result)
    file_args = dict(path=dest, mode=P['mode'], owner=P['owner'], group=P['group'])
    result['changed'] = set_fs_attributes_if_different(file_args, result['changed'])
    result['md5sum'] = digest_from_file(dest, 'md5')
    if backup_file:
        result['backup_file'] = backup_file
    return dict(result, msg=info.get('msg', ''), status_code=info.get('status', ''))

run(main)
`;
