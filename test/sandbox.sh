#!/bin/sh
# A throw-away Debian host for tests (test/sandbox.ts): run as pid 1 of new mount, net, pid and
# uts namespaces (unshare -mnpuf). The machine's root becomes an overlay whose changes vanish
# with the namespace, chrooted; the only network is a veth the caller adds (named sb0 here), so
# nothing a role does reaches past it; apt reads the local repository of scripts/sandbox-debs.sh.
# usage: sandbox.sh DIR DEBS   (DIR holds u/ w/ m/ and ssh/{host,authorized_keys}; the caller
# writes DIR/addr, this end's address, once the veth is there)
set -eu
D=$1; DEBS=$2; M=$D/m
hostname sandbox
mount --make-rprivate /
mount -t overlay overlay -o "lowerdir=/,upperdir=$D/u,workdir=$D/w" "$M"
# the machine's accounts as they are now, the sandbox's own from here on (other tests may add and
# remove users on the machine meanwhile: its overlay would show them) and kept as the baseline its
# changes are read against (test/sandbox-files.ts); test/sandbox.ts holds the accounts lock meanwhile
mkdir -p "$D/base"
for f in passwd group shadow gshadow subuid subgid; do
  [ -f "/etc/$f" ] || continue
  cp -p "/etc/$f" "$D/base/$f"
  cat "$D/base/$f" > "$M/etc/$f"
done
mount --rbind /dev "$M/dev"
mount -t proc proc "$M/proc"
mount -t sysfs sysfs "$M/sys" 2>/dev/null || mount --rbind /sys "$M/sys"
mount -t tmpfs tmpfs "$M/tmp"
mount -t tmpfs tmpfs "$M/run"
mkdir -p "$M/run/sshd" "$M/run/lock"
# (root's ~/.ssh as ssh makes it, 0700, whether or not this machine has one yet: a role that checks it sees the same)
install -d -m 700 "$M/root/.ssh"
install -m 600 "$D/ssh/authorized_keys" "$M/root/.ssh/authorized_keys"
install -m 600 "$D/ssh/host" "$M/etc/ssh/agri_sandbox_host_key"
echo sandbox > "$M/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tsandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$M/etc/hosts"
# root's shell files as a fresh Debian's (/etc/skel): this machine's run `pyenv init`, which bash
# sources for every command sshd starts (≈ 0.55 s each)
for f in .bashrc .profile; do [ -f "/etc/skel/$f" ] && cp "/etc/skel/$f" "$M/root/$f"; done
# dpkg without an fsync per file (as in Docker's debian images' build): a throw-away host, and the tests' time goes there
echo force-unsafe-io > "$M/etc/dpkg/dpkg.cfg.d/agri-sandbox-unsafe-io"
# apt: only the local repository (the machine's own lists would send apt to the network)
rm -f "$M"/etc/apt/sources.list.d/* "$M/etc/apt/sources.list"
rm -rf "$M"/var/lib/apt/lists/*
if [ -f "$DEBS/Packages" ]; then
  echo "deb [trusted=yes] file:$DEBS ./" > "$M/etc/apt/sources.list"
  chroot "$M" apt-get update -qq >/dev/null 2>&1 || echo "sandbox: apt-get update failed" >&2
fi
ip link set lo up
i=0
while ! { ip link show sb0 >/dev/null 2>&1 && [ -s "$D/addr" ]; }; do
  i=$((i + 1)); [ $i -gt 400 ] && { echo "sandbox: no veth" >&2; exit 3; }
  sleep 0.05
done
ADDR=$(cat "$D/addr")
ip addr add "$ADDR/30" dev sb0
ip link set sb0 up
# the sandbox ends with the process that started it: its stdin closes, sshd (pid 1 here) is told to end
# (sh gives a background list /dev/null as stdin unless it is redirected explicitly); told again until
# it is gone: a process that ended early closes it while pid 1 is still this shell, which as a
# namespace's pid 1 ignores the signal (a sandbox outlived the test that started it so)
exec 3<&0
( cat <&3 >/dev/null; while kill -TERM 1 2>/dev/null; do sleep 0.2; done ) &
# the test's own sshd: port 2222 and its own pid file, so a role's sshd (port 22) is another one
exec chroot "$M" /usr/sbin/sshd -D -e -o "ListenAddress=$ADDR:2222" -o HostKey=/etc/ssh/agri_sandbox_host_key \
  -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no -o UsePAM=no \
  -o PidFile=/run/agri-sandbox-sshd.pid -o LogLevel=ERROR -o MaxStartups=100 -o MaxSessions=100
