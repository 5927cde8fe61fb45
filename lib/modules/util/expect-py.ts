// The host side of `expect`: ansible-core's module runs pexpect.run; this is that run in Python's
// standard library (pty, select, re), so the host needs Python 3 but not pexpect. It reads its
// settings as JSON on stdin and prints the module's result as JSON. Kept to pexpect 4.8's rules:
// the command split by split_command_line and found on PATH (no shell), a pty with echo off
// unless `echo`, patterns compiled with re.DOTALL and the earliest match in the output taken (the
// first listed on a tie), each response sent 50 ms after its match (delaybeforesend), `timeout`
// seconds for each wait, output read 2000 bytes at a time. It is run as util/ansible-py.ts's runHostModule runs a program: its settings under `params`.
export const EXPECT_PY = String.raw`
import datetime, fcntl, json, os, pty, re, select, signal, struct, sys, termios, time
cfg = json.load(sys.stdin)['params']
out = {}
def done(**kw):
    sys.stdout.write(json.dumps(kw)); sys.stdout.flush(); os._exit(0)
def split_command_line(line):
    args, arg, state = [], '', 0
    for c in line:
        if state in (0, 4):
            if c == '\\': state = 1
            elif c == "'": state = 2
            elif c == '"': state = 3
            elif c.isspace():
                if state != 4: args.append(arg); arg = ''; state = 4
            else: arg += c; state = 0
        elif state == 1: arg += c; state = 0
        elif state == 2:
            if c == "'": state = 0
            else: arg += c
        elif state == 3:
            if c == '"': state = 0
            else: arg += c
    if arg != '': args.append(arg)
    return args
def executable(f):
    return os.path.exists(f) and os.access(f, os.X_OK) and not os.path.isdir(f)
def which(name):
    if os.path.dirname(name) != '' and executable(name): return name
    for d in (os.environ.get('PATH') or os.defpath).split(os.pathsep):
        f = os.path.join(d, name)
        if executable(f): return f
    return None
args = cfg['command']
if args.strip() == '':
    done(failed=True, rc=256, msg='no command given')
chdir = cfg.get('chdir')
if chdir:
    chdir = os.path.abspath(chdir); os.chdir(chdir)
if cfg.get('creates') and os.path.exists(cfg['creates']):
    done(cmd=args, stdout='skipped, since %s exists' % cfg['creates'], changed=False, rc=0)
if cfg.get('removes') and not os.path.exists(cfg['removes']):
    done(cmd=args, stdout='skipped, since %s does not exist' % cfg['removes'], changed=False, rc=0)
events = []
for key, value in cfg['responses']:
    if isinstance(value, list): events.append((key, re.compile(key.encode(), re.DOTALL), iter([v.encode().rstrip(b'\n') + b'\n' for v in value])))
    else: events.append((key, re.compile(key.encode(), re.DOTALL), value.encode().rstrip(b'\n') + b'\n'))
startd = datetime.datetime.now()
argv = split_command_line(args)
path = which(argv[0]) if argv else None
if path is None:
    done(failed=True, msg='The command was not found or was not executable: %s.' % (argv[0] if argv else ''))
argv[0] = path
pid, fd = pty.fork()
if pid == 0:
    try:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
        if not cfg['echo']:
            a = termios.tcgetattr(0); a[3] &= ~termios.ECHO; termios.tcsetattr(0, termios.TCSANOW, a)
        os.execv(path, argv)
    finally:
        os._exit(255)
buf, results, timeout = b'', [], cfg['timeout']
while True:
    deadline = time.time() + timeout
    found = None
    while found is None:
        best = None
        for i, (key, pat, resp) in enumerate(events):
            m = pat.search(buf)
            if m and (best is None or m.start() < best[1].start()): best = (i, m)
        if best: found = best; break
        left = deadline - time.time()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            found = 'timeout'; break
        try: data = os.read(fd, 2000)
        except OSError: data = b''
        if not data:
            found = 'eof'; break
        buf += data
    if found in ('timeout', 'eof'):
        results.append(buf); break
    i, m = found
    results.append(buf[:m.end()]); buf = buf[m.end():]
    key, pat, resp = events[i]
    if not isinstance(resp, bytes):
        try: resp = next(resp)
        except StopIteration:
            done(failed=True, msg="No remaining responses for '%s', output was '%s'" % (key, results[-1]))
    time.sleep(0.05)
    os.write(fd, resp)
os.close(fd)
rc = None
if found == 'timeout':
    for sig in (signal.SIGHUP, signal.SIGCONT, signal.SIGINT, signal.SIGKILL):
        try: os.kill(pid, sig)
        except ProcessLookupError: break
        time.sleep(0.1)
        if os.waitpid(pid, os.WNOHANG)[0]: break
    else: os.waitpid(pid, 0)
else:
    status = os.waitpid(pid, 0)[1]
    if os.WIFEXITED(status): rc = os.WEXITSTATUS(status)
endd = datetime.datetime.now()
result = dict(cmd=args, stdout=b''.join(results).decode('utf-8', 'surrogateescape').rstrip('\r\n'), rc=rc, start=str(startd), end=str(endd), delta=str(endd - startd), changed=True)
if rc is None: done(failed=True, msg='command exceeded timeout', **result)
if rc != 0: done(failed=True, msg='non-zero return code', **result)
done(**result)
`;
