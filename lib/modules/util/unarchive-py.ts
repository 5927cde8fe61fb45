// The host side of `unarchive`: ansible-core 2.14's unarchive module (its ZipArchive, ZipZArchive
// and GNU tar handlers, pick_handler and main), ported to Python 3's standard library on top of
// ANSIBLE_PY (util/ansible-py.ts: AnsibleModule's set_owner/group/mode_if_different, symbolic
// modes) and URLS_PY (util/urls-py.ts: fetch_file, for a URL src). Kept to the module's rules: the handlers tried in its order, a member compared by type,
// mtime, size, CRC32, mode and owner (zip) or by `tar --diff` (tar), the attributes set on every
// member after, check mode answered for zip archives and skipped for tar ones. This part: its
// imports, tar's locale, the patterns of tar's --diff lines and zip's modes, CRC32.
export const UNARCHIVE_PY = String.raw`
import binascii, codecs, datetime, fnmatch, platform, time
from zipfile import ZipFile, BadZipfile

class UnarchiveError(Exception):
    pass

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

`;
