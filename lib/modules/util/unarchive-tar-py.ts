// The host side of `unarchive`, its last part: ansible-core 2.14's unarchive module's GNU tar
// handlers, ZipZArchive, pick_handler and main(), ported (util/unarchive-py.ts has the start).
export const UNARCHIVE_TAR_PY = String.raw`
class TgzArchive(object):
    def __init__(self, src, b_dest, file_args):
        self.src = src
        self.b_dest = b_dest
        self.file_args = file_args
        self.opts = P['extra_opts']
        if CHECK:
            raise Done(skipped=True, msg="remote module (%s) does not support check mode when using gtar" % NAME)
        self.excludes = [path.rstrip('/') for path in P['exclude']]
        self.include_files = P['include']
        self.cmd_path = None
        self.tar_type = None
        self.zipflag = '-z'
        self._files_in_archive = []

    def _get_tar_type(self):
        rc, out, err = run_command([self.cmd_path, '--version'])
        if out.startswith('bsdtar'):
            return 'bsd'
        if out.startswith('tar') and 'GNU' in out:
            return 'gnu'
        return None

    def _args(self, verb, attrs):
        cmd = [self.cmd_path, verb, '-C', self.b_dest]
        if self.zipflag:
            cmd.append(self.zipflag)
        if self.opts:
            cmd.extend(['--show-transformed-names'] + self.opts)
        if attrs and self.file_args['owner']:
            cmd.append('--owner=' + quote(self.file_args['owner']))
        if attrs and self.file_args['group']:
            cmd.append('--group=' + quote(self.file_args['group']))
        if attrs and P['keep_newer']:
            cmd.append('--keep-newer-files')
        if self.excludes:
            cmd.extend(['--exclude=' + f for f in self.excludes])
        cmd.extend(['-f', self.src])
        if self.include_files:
            cmd.extend(self.include_files)
        return cmd

    def _run(self, cmd):
        locale = best_parsable_locale()
        return run_command(cmd, cwd=self.b_dest, environ_update=dict(LANG=locale, LC_ALL=locale, LC_MESSAGES=locale, LANGUAGE=locale))

    @property
    def files_in_archive(self):
        if self._files_in_archive:
            return self._files_in_archive
        rc, out, err = self._run(self._args('--list', False))
        if rc != 0:
            raise UnarchiveError('Unable to list files in the archive: %s' % err)
        for filename in out.splitlines():
            filename = codecs.escape_decode(filename)[0].decode('utf-8', 'surrogateescape')
            if filename.startswith('/'):
                filename = filename[1:]
            exclude_flag = False
            if self.excludes:
                for exclude in self.excludes:
                    if fnmatch.fnmatch(filename, exclude):
                        exclude_flag = True
                        break
            if not exclude_flag:
                self._files_in_archive.append(filename)
        return self._files_in_archive

    def is_unarchived(self):
        cmd = self._args('--diff', True)
        rc, out, err = self._run(cmd)
        unarchived = True
        old_out = out
        out = ''
        run_uid = os.getuid()
        for line in old_out.splitlines() + err.splitlines():
            if EMPTY_FILE_RE.search(line):
                continue
            if run_uid == 0 and not self.file_args['owner'] and OWNER_DIFF_RE.search(line):
                out += line + '\n'
            if run_uid == 0 and not self.file_args['group'] and GROUP_DIFF_RE.search(line):
                out += line + '\n'
            if not self.file_args['mode'] and MODE_DIFF_RE.search(line):
                out += line + '\n'
            if MOD_TIME_DIFF_RE.search(line):
                out += line + '\n'
            if MISSING_FILE_RE.search(line):
                out += line + '\n'
            if INVALID_OWNER_RE.search(line):
                out += line + '\n'
            if INVALID_GROUP_RE.search(line):
                out += line + '\n'
        if out:
            unarchived = False
        return dict(unarchived=unarchived, rc=rc, out=out, err=err, cmd=cmd)

    def unarchive(self):
        cmd = self._args('--extract', True)
        rc, out, err = self._run(cmd)
        return dict(cmd=cmd, rc=rc, out=out, err=err)

    def can_handle_archive(self):
        try:
            self.cmd_path = get_bin_path('gtar')
        except ValueError:
            try:
                self.cmd_path = get_bin_path('tar')
            except ValueError:
                return False, "Unable to find required 'gtar' or 'tar' binary in the path"
        self.tar_type = self._get_tar_type()
        if self.tar_type != 'gnu':
            return False, 'Command "%s" detected as tar type %s. GNU tar required.' % (self.cmd_path, self.tar_type)
        try:
            if self.files_in_archive:
                return True, None
        except UnarchiveError as e:
            return False, 'Command "%s" could not handle archive: %s' % (self.cmd_path, e)
        return False, 'Command "%s" found no files in archive. Empty archive files are not supported.' % self.cmd_path

def quote(s):
    from shlex import quote as q
    return q(s)

class TarArchive(TgzArchive):
    def __init__(self, *a):
        TgzArchive.__init__(self, *a)
        self.zipflag = ''

class TarBzipArchive(TgzArchive):
    def __init__(self, *a):
        TgzArchive.__init__(self, *a)
        self.zipflag = '-j'

class TarXzArchive(TgzArchive):
    def __init__(self, *a):
        TgzArchive.__init__(self, *a)
        self.zipflag = '-J'

class TarZstdArchive(TgzArchive):
    def __init__(self, *a):
        TgzArchive.__init__(self, *a)
        self.zipflag = '--use-compress-program=zstd'

class ZipZArchive(ZipArchive):
    def __init__(self, *a):
        ZipArchive.__init__(self, *a)
        self.zipinfoflag = '-Z'
        self.binaries = (('unzip', 'cmd_path'), ('unzip', 'zipinfo_cmd_path'))

    def can_handle_archive(self):
        ok, error_msg = ZipArchive.can_handle_archive(self)
        if not ok:
            return ok, error_msg
        rc, out, err = run_command([self.zipinfo_cmd_path, self.zipinfoflag])
        if 'zipinfo' in out.lower():
            return True, None
        return False, 'Command "unzip -Z" could not handle archive: %s' % err

def pick_handler(src, dest, file_args):
    reasons = set()
    for handler in [ZipArchive, ZipZArchive, TgzArchive, TarArchive, TarBzipArchive, TarXzArchive, TarZstdArchive]:
        obj = handler(src, dest, file_args)
        can_handle, reason = obj.can_handle_archive()
        if can_handle:
            return obj
        reasons.add(reason)
    fail('Failed to find handler for "%s". Make sure the required command to extract the file is installed.\n%s' % (src, '\n'.join(reasons)))

def main():
    src = P['src']
    dest = P['dest']
    file_args = dict(mode=P['mode'], owner=P['owner'], group=P['group'])
    if not os.path.exists(src):
        if not P['remote_src']:
            fail("Source '%s' failed to transfer" % src)
        elif '://' in src:
            src = fetch_file(src)
        else:
            fail("Source '%s' does not exist" % src)
    if not os.access(src, os.R_OK):
        fail("Source '%s' not readable" % src)
    try:
        if os.path.getsize(src) == 0:
            fail("Invalid archive '%s', the file is 0 bytes" % src)
    except Fail:
        raise
    except Exception as e:
        fail("Source '%s' not readable, %s" % (src, e))
    if not os.path.isdir(dest):
        fail("Destination '%s' is not a directory" % dest)
    handler = pick_handler(src, dest, file_args)
    res = dict(handler=handler.__class__.__name__, dest=dest, src=src)
    try:
        check = handler.is_unarchived()
    except UnarchiveError as e:
        fail(str(e), **res)
    if CHECK:
        res['changed'] = not check['unarchived']
    elif check['unarchived']:
        res['changed'] = False
    else:
        try:
            res['extract_results'] = handler.unarchive()
            if res['extract_results']['rc'] != 0:
                fail('failed to unpack %s to %s' % (src, dest), **res)
        except IOError:
            fail('failed to unpack %s to %s' % (src, dest), **res)
        res['changed'] = True
    if check.get('diff', False):
        res['diff'] = {'prepared': check['diff']}
    if res.get('diff', True) and not CHECK:
        top_folders = []
        for filename in handler.files_in_archive:
            file_args['path'] = os.path.join(dest, filename)
            try:
                res['changed'] = set_fs_attributes_if_different(file_args, res['changed'])
            except (IOError, OSError) as e:
                fail('Unexpected error when accessing exploded file: %s' % e, **res)
            if '/' in filename:
                top = filename.split('/')[0]
                if top not in top_folders:
                    top_folders.append(top)
        for f in top_folders:
            file_args['path'] = '%s/%s' % (dest, f)
            try:
                res['changed'] = set_fs_attributes_if_different(file_args, res['changed'])
            except (IOError, OSError) as e:
                fail('Unexpected error when accessing exploded file: %s' % e, **res)
    if P['list_files']:
        res['files'] = handler.files_in_archive
    return res

run(main)
`;
