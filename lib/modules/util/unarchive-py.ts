// The host side of `unarchive`: ansible-core 2.14's unarchive module (its ZipArchive, ZipZArchive
// and GNU tar handlers, pick_handler and main, with AnsibleModule's set_owner/group/mode_if_different
// and symbolic modes), ported to a Python 3 program that needs only the standard library: it reads
// its parameters as JSON on stdin and prints the module's result as JSON. Kept to the module's
// rules: the handlers tried in its order, a member compared by type, mtime, size, CRC32, mode and
// owner (zip) or by `tar --diff` (tar), the attributes set on every member after, check mode
// answered for zip archives and skipped for tar ones.
export const UNARCHIVE_PY = String.raw`
import binascii, codecs, datetime, fnmatch, grp, json, os, platform, pwd, re, stat, subprocess, sys, tempfile, time
from functools import reduce
from zipfile import ZipFile, BadZipfile
cfg = json.load(sys.stdin)
P = cfg['params']
CHECK = cfg['check_mode']
NAME = cfg['name']

class Fail(Exception):
    def __init__(self, msg, **kw):
        Exception.__init__(self, msg)
        self.res = dict(kw, failed=True, msg=msg)

class Done(Exception):
    def __init__(self, **kw):
        Exception.__init__(self)
        self.res = kw

class UnarchiveError(Exception):
    pass

def fail(msg, **kw):
    raise Fail(msg, **kw)

def get_bin_path(name):
    paths = [p for p in os.environ.get('PATH', '').split(os.pathsep) if p]
    for d in ['/sbin', '/usr/sbin', '/usr/local/sbin']:
        if d not in paths:
            paths.append(d)
    for d in paths:
        p = os.path.join(d, name)
        if os.path.exists(p) and not os.path.isdir(p) and os.access(p, os.X_OK):
            return p
    raise ValueError('Failed to find required executable "%s" in paths: %s' % (name, os.pathsep.join(paths)))

def run_command(cmd, cwd=None, environ_update=None):
    env = dict(os.environ)
    env.update(environ_update or {})
    try:
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        return 2, '', str(e)
    out, err = p.communicate()
    return p.returncode, out.decode('utf-8', 'surrogateescape'), err.decode('utf-8', 'surrogateescape')

def best_parsable_locale():
    try:
        rc, out, err = run_command([get_bin_path('locale'), '-a'])
    except ValueError:
        return 'C'
    found = out.strip().splitlines() if rc == 0 else []
    for pref in ['C.utf8', 'C.UTF-8', 'en_US.utf8', 'en_US.UTF-8', 'C', 'POSIX']:
        if pref in found:
            return pref
    return 'C'

OWNER_DIFF_RE = re.compile(r': Uid differs$')
GROUP_DIFF_RE = re.compile(r': Gid differs$')
MODE_DIFF_RE = re.compile(r': Mode differs$')
MOD_TIME_DIFF_RE = re.compile(r': Mod time differs$')
EMPTY_FILE_RE = re.compile(r': : Warning: Cannot stat: No such file or directory$')
MISSING_FILE_RE = re.compile(r': Warning: Cannot stat: No such file or directory$')
ZIP_FILE_MODE_RE = re.compile(r'([r-][w-][SsTtx-]){3}')
INVALID_OWNER_RE = re.compile(r': Invalid owner')
INVALID_GROUP_RE = re.compile(r': Invalid group')

def crc32(path, buffer_size):
    crc = binascii.crc32(b'')
    with open(path, 'rb') as f:
        for b in iter(lambda: f.read(buffer_size), b''):
            crc = binascii.crc32(b, crc)
    return crc & 0xffffffff

PERM_BITS = 0o7777
EXEC_PERM_BITS = 0o0111
MODE_OPERATOR_RE = re.compile(r'[+=-]')
USERS_RE = re.compile(r'[^ugo]')
PERMS_RE = re.compile(r'[^rwxXstugo]')

def symbolic_mode_to_octal(path_stat, symbolic_mode):
    new_mode = stat.S_IMODE(path_stat.st_mode)
    for mode in symbolic_mode.split(','):
        permlist = MODE_OPERATOR_RE.split(mode)
        opers = MODE_OPERATOR_RE.findall(mode)
        users = permlist.pop(0)
        use_umask = (users == '')
        if users == 'a' or users == '':
            users = 'ugo'
        if USERS_RE.match(users):
            raise ValueError("bad symbolic permission for mode: %s" % mode)
        for idx, perms in enumerate(permlist):
            if PERMS_RE.match(perms):
                raise ValueError("bad symbolic permission for mode: %s" % mode)
            for user in users:
                mode_to_apply = octal_from_symbolic_perms(path_stat, user, perms, use_umask)
                new_mode = apply_operation_to_mode(user, opers[idx], mode_to_apply, new_mode)
    return new_mode

def apply_operation_to_mode(user, operator, mode_to_apply, current_mode):
    if operator == '=':
        mask = {'u': stat.S_IRWXU | stat.S_ISUID, 'g': stat.S_IRWXG | stat.S_ISGID, 'o': stat.S_IRWXO | stat.S_ISVTX}[user]
        return (current_mode & (mask ^ PERM_BITS)) | mode_to_apply
    if operator == '+':
        return current_mode | mode_to_apply
    return current_mode - (current_mode & mode_to_apply)

def octal_from_symbolic_perms(path_stat, user, perms, use_umask):
    prev_mode = stat.S_IMODE(path_stat.st_mode)
    apply_x = stat.S_ISDIR(path_stat.st_mode) or (prev_mode & EXEC_PERM_BITS) > 0
    umask = os.umask(0)
    os.umask(umask)
    rev = umask ^ PERM_BITS
    m = {
        'u': {'r': rev & stat.S_IRUSR if use_umask else stat.S_IRUSR, 'w': rev & stat.S_IWUSR if use_umask else stat.S_IWUSR, 'x': rev & stat.S_IXUSR if use_umask else stat.S_IXUSR, 's': stat.S_ISUID, 't': 0, 'u': prev_mode & stat.S_IRWXU, 'g': (prev_mode & stat.S_IRWXG) << 3, 'o': (prev_mode & stat.S_IRWXO) << 6, 'X': stat.S_IXUSR if apply_x else 0},
        'g': {'r': rev & stat.S_IRGRP if use_umask else stat.S_IRGRP, 'w': rev & stat.S_IWGRP if use_umask else stat.S_IWGRP, 'x': rev & stat.S_IXGRP if use_umask else stat.S_IXGRP, 's': stat.S_ISGID, 't': 0, 'u': (prev_mode & stat.S_IRWXU) >> 3, 'g': prev_mode & stat.S_IRWXG, 'o': (prev_mode & stat.S_IRWXO) << 3, 'X': stat.S_IXGRP if apply_x else 0},
        'o': {'r': rev & stat.S_IROTH if use_umask else stat.S_IROTH, 'w': rev & stat.S_IWOTH if use_umask else stat.S_IWOTH, 'x': rev & stat.S_IXOTH if use_umask else stat.S_IXOTH, 's': 0, 't': stat.S_ISVTX, 'u': (prev_mode & stat.S_IRWXU) >> 6, 'g': (prev_mode & stat.S_IRWXG) >> 3, 'o': prev_mode & stat.S_IRWXO, 'X': stat.S_IXOTH if apply_x else 0},
    }
    return reduce(lambda mode, perm: mode | m[user][perm], perms, 0)

def set_owner_if_different(path, owner, changed):
    if owner is None:
        return changed
    st = os.lstat(path)
    try:
        uid = int(owner)
    except ValueError:
        try:
            uid = pwd.getpwnam(owner).pw_uid
        except KeyError:
            fail('chown failed: failed to look up user %s' % owner, path=path)
    if st.st_uid != uid:
        if CHECK:
            return True
        try:
            os.lchown(path, uid, -1)
        except (IOError, OSError) as e:
            fail('chown failed: %s' % e, path=path)
        changed = True
    return changed

def set_group_if_different(path, group, changed):
    if group is None:
        return changed
    st = os.lstat(path)
    try:
        gid = int(group)
    except ValueError:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            fail('chgrp failed: failed to look up group %s' % group, path=path)
    if st.st_gid != gid:
        if CHECK:
            return True
        try:
            os.lchown(path, -1, gid)
        except OSError:
            fail('chgrp failed', path=path)
        changed = True
    return changed

def set_mode_if_different(path, mode, changed):
    if mode is None:
        return changed
    path_stat = os.lstat(path)
    if not isinstance(mode, int):
        try:
            mode = int(mode, 8)
        except Exception:
            try:
                mode = symbolic_mode_to_octal(path_stat, mode)
            except Exception as e:
                fail('mode must be in octal or symbolic form', path=path, details=str(e))
            if mode != stat.S_IMODE(mode):
                fail('Invalid mode supplied, only permission info is allowed', path=path, details=mode)
    prev_mode = stat.S_IMODE(path_stat.st_mode)
    if prev_mode != mode:
        if CHECK:
            return True
        try:
            if not os.path.islink(path):
                os.chmod(path, mode)
            else:
                before = os.stat(path)
                os.chmod(path, mode)
                if before.st_mode != os.stat(path).st_mode:
                    os.chmod(path, stat.S_IMODE(before.st_mode))
        except OSError as e:
            import errno
            if os.path.islink(path) and e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                pass
            elif e.errno in (errno.ENOENT, errno.ELOOP):
                pass
            else:
                raise
        if stat.S_IMODE(os.lstat(path).st_mode) != prev_mode:
            changed = True
    return changed

def set_fs_attributes_if_different(file_args, changed):
    changed = set_owner_if_different(file_args['path'], file_args['owner'], changed)
    changed = set_group_if_different(file_args['path'], file_args['group'], changed)
    return set_mode_if_different(file_args['path'], file_args['mode'], changed)
`;
