import { shq } from '../../connections/quote.js';
import { ModuleFailure, type ActionResult, type ModuleCtx } from '../types.js';
import { hostPython } from './library.js';
import { pyJsonLoads } from '../../source/pyjson-loads.js';
import { jsonText } from '../../source/pyint.js';

// The start of the Python 3 programs some modules run on the host (unarchive, get_url): the parts
// of ansible-core's AnsibleModule they use, ported to the standard library. A program reads
// {params, check_mode, name} as JSON on stdin and prints its result as JSON: fail() is fail_json,
// Done is exit_json from deep inside, run(main) prints main()'s result with add_path_info's facts
// of its `path`/`dest`, as _return_formatted adds them, after removing its temp folder (module_tmpdir()).
export const ANSIBLE_PY = String.raw`
import grp, json, os, pwd, re, stat, subprocess, sys, tempfile
from functools import reduce
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

def set_id_if_different(path, value, changed, group):
    # set_owner_if_different and set_group_if_different: an id or a name, lchown'd when it differs
    if value is None:
        return changed
    st = os.lstat(path)
    verb = 'chgrp' if group else 'chown'
    try:
        want = int(value)
    except ValueError:
        try:
            want = grp.getgrnam(value).gr_gid if group else pwd.getpwnam(value).pw_uid
        except KeyError:
            fail('%s failed: failed to look up %s %s' % (verb, 'group' if group else 'user', value), path=path)
    if (st.st_gid if group else st.st_uid) != want:
        if CHECK:
            return True
        try:
            os.lchown(path, -1, want) if group else os.lchown(path, want, -1)
        except OSError as e:
            fail('chgrp failed' if group else 'chown failed: %s' % e, path=path)
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
    changed = set_id_if_different(file_args['path'], file_args['owner'], changed, False)
    changed = set_id_if_different(file_args['path'], file_args['group'], changed, True)
    return set_mode_if_different(file_args['path'], file_args['mode'], changed)
def add_path_info(res):
    path = res.get('path', res.get('dest', None))
    if path is None or not os.path.exists(path):
        return res
    st = os.lstat(path)
    res['uid'], res['gid'] = st.st_uid, st.st_gid
    try:
        res['owner'] = pwd.getpwuid(st.st_uid)[0]
    except KeyError:
        res['owner'] = str(st.st_uid)
    try:
        res['group'] = grp.getgrgid(st.st_gid)[0]
    except KeyError:
        res['group'] = str(st.st_gid)
    res['mode'] = '0%03o' % stat.S_IMODE(st.st_mode)
    if os.path.islink(path):
        res['state'] = 'link'
    elif os.path.isdir(path):
        res['state'] = 'directory'
    elif os.stat(path).st_nlink > 1:
        res['state'] = 'hard'
    else:
        res['state'] = 'file'
    res['size'] = st.st_size
    return res

TMPDIR = []

def module_tmpdir():
    # AnsibleModule.tmpdir: made when first asked for, removed when the module ends
    if not TMPDIR:
        TMPDIR.append(tempfile.mkdtemp(prefix='ansible-moduletmp-'))
    return TMPDIR[0]

def run(main):
    try:
        result = main()
    except (Fail, Done) as e:
        result = e.res
    finally:
        if TMPDIR:
            import shutil
            shutil.rmtree(TMPDIR[0], ignore_errors=True)
    sys.stdout.write(json.dumps(add_path_info(result)))
`;

/** Runs a module's program on the host under its Python 3 (ANSIBLE_PY and the module's part, or expect's own), its parameters as `params` of the JSON on its stdin: its result as the action's, or a failure saying why there is none. */
export async function runHostModule(ctx: ModuleCtx, program: string, name: string, params: Record<string, unknown>): Promise<ActionResult> {
  const r = await ctx.exec({ shell: `exec ${hostPython(ctx)} -c ${shq(program)}` }, { stdin: Buffer.from(jsonText({ params, check_mode: Boolean(ctx.checkMode), name: `ansible.legacy.${name}` })), signal: ctx.signal });
  let out: Record<string, unknown>;
  try {
    out = pyJsonLoads(r.stdout) as Record<string, unknown>;
  } catch {
    throw new ModuleFailure(r.rc === 127 ? `${name} needs Python 3 on the host (ansible_python_interpreter)` : `MODULE FAILURE: ${(r.stderr || r.stdout).trim() || `exit ${r.rc}`}`, { rc: r.rc, module_stderr: r.stderr, module_stdout: r.stdout });
  }
  const { failed, msg, changed, skipped, ...data } = out;
  return { changed: changed === true, failed: failed === true, skipped: skipped === true, ...(msg !== undefined ? { msg: String(msg) } : {}), data };
}
