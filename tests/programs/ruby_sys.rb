# Ruby's system libraries, as its own test suite uses them: pty and io/console (winsize, raw,
# echo, getch, cooked, cursor), Etc (sysconf, confstr, uname, getpwnam), every
# Process.clock_gettime clock, Process::Status of signals, stops and core dumps, spawn with
# redirects and rlimits, SCM_RIGHTS and SCM_CREDENTIALS, seqpacket, UDP, fcntl locks, mkfifo,
# utime in nanoseconds, and Fiddle calling into libc.
require 'etc'; require 'socket'; require 'io/console'; require 'io/wait'; require 'pty'
require 'fcntl'; require 'fileutils'
$stdout.sync = true
def t(name)
	r = begin; yield; rescue Exception => e; "#{e.class}: #{e.message[0, 60]}"; end
	puts "#{name}: #{r.inspect}"
end
Process.constants.grep(/^CLOCK_/).sort.each do |c|
	t(c) { [Process.clock_gettime(Process.const_get(c)).class, Process.clock_getres(Process.const_get(c)) > 0] }
end
Etc.constants.grep(/^SC_/).sort.each { |c| t(c) { v = Etc.sysconf(Etc.const_get(c)); [v.nil?, v.is_a?(Integer) && v > 0] } }
Etc.constants.grep(/^CS_/).sort.each { |c| t(c) { Etc.confstr(Etc.const_get(c)) } }
t(:uname) { Etc.uname.keys }
t(:getpwnam) { Etc.getpwnam('root').to_a }
t(:getgrnam) { Etc.getgrnam('root').to_a }
t(:nofile) { Process.setrlimit(:NOFILE, 100, Process.getrlimit(:NOFILE)[1]); Process.getrlimit(:NOFILE)[0] }
t(:pty) { PTY.spawn('echo hi; stty -a | head -1') { |r, _, pid| s = r.read rescue $!; Process.wait(pid); [s, $?.exitstatus] } }
t(:winsize) { PTY.open { |m, s| s.winsize = [30, 100]; [m.winsize, s.winsize, s.tty?, m.tty?] } }
t(:echo) { PTY.open { |_, s| s.echo = false; e = s.echo?; s.echo = true; [e, s.echo?] } }
t(:getch) { PTY.open { |m, s| m.write 'x'; s.getch } }
t(:noecho) { PTY.open { |m, s| m.write "abc\n"; s.noecho(&:gets) } }
t(:cooked) { PTY.open { |m, s| m.write "ab\x7fc\n"; s.cooked { s.gets } } }
t(:pty_eof) { m, s = PTY.open; s.close; m.read rescue $!.class }
t(:pty_check) { _, _, pid = PTY.spawn('exit 3'); Process.wait(pid); $?.exitstatus }
t(:seqpacket) { a, b = Socket.pair(:UNIX, :SEQPACKET); a.write('abc'); a.write('de'); a.write('fgh'); [b.recv(10), b.recv(1), b.recvmsg(2)[2] & Socket::MSG_TRUNC] }
t(:rights) do
	a, b = Socket.pair(:UNIX, :DGRAM)
	a.sendmsg('x', 0, nil, Socket::AncillaryData.unix_rights($stdin))
	m = b.recvmsg(10, 0, 100, scm_rights: true); [m[0], m[3].unix_rights.size]
end
t(:ctrunc) { a, b = UNIXSocket.pair; a.send_io($stdin); b.recvmsg(10, 0, 4)[2] & Socket::MSG_CTRUNC }
t(:credentials) do
	a, b = UNIXSocket.pair(:DGRAM); b.setsockopt(:SOCKET, :PASSCRED, 1); a.send('x', 0)
	c = b.recvmsg(10, 0, 100)[3]; [c.cmsg_is?(:SOCKET, :CREDENTIALS), c.inspect.sub(/pid=\d+/, '')]
end
t(:udp) { u = UDPSocket.new; u.bind('127.0.0.1', 0); UDPSocket.new.send('hi', 0, '127.0.0.1', u.addr[1]); u.recvfrom(10)[0] }
t(:dualstack) { s = TCPServer.new('::', 0); TCPSocket.new('127.0.0.1', s.addr[1]); s.accept.remote_address.ip_address }
t(:select) { r, w = IO.pipe; IO.select([r], [w], nil, 0).map(&:size) }
t(:wait) { r, w = IO.pipe; a = r.wait_readable(0.01); w << 'x'; [a, r.wait_readable(1) == r, r.nread] }
t(:signaled) { Process.wait(spawn('sh', '-c', 'kill -TERM $$')); [$?.signaled?, $?.termsig, $?.to_i] }
t(:coredump) { Process.wait(spawn('sh', '-c', 'ulimit -c 0; kill -SEGV $$')); [$?.coredump?, $?.termsig] }
t(:stopped) do
	pid = spawn('sleep', '5'); Process.kill(:STOP, pid); Process.waitpid(pid, Process::WUNTRACED)
	a = [$?.stopped?, $?.stopsig]; Process.kill(:KILL, pid); Process.wait(pid); a + [$?.termsig]
end
t(:spawn) do
	r, w = IO.pipe
	pid = spawn('sh', '-c', 'echo out; echo err >&2; echo three >&3; ulimit -n', out: w, err: [:child, :out],
		3 => w, pgroup: true, umask: 077, unsetenv_others: true, close_others: true, rlimit_nofile: 50, chdir: '/')
	w.close; Process.wait(pid); [r.read, $?.exitstatus]
end
# not Dir.mktmpdir: it refuses a world-writable /tmp without the sticky bit, as some hosts have
d = "/tmp/rbsys.#{$$}"; Dir.mkdir(d)
begin
	t(:getlk) do
		fl = 's!s!x4q!q!i!x4'; File.write(p = "#{d}/lk", 'x' * 100)
		f = File.open(p, 'r+'); f.fcntl(Fcntl::F_SETLK, [Fcntl::F_WRLCK, 0, 10, 20, 0].pack(fl))
		r, w = IO.pipe
		pid = fork do
			a = [Fcntl::F_WRLCK, 0, 0, 100, 0].pack(fl); File.open(p, 'r+').fcntl(Fcntl::F_GETLK, a)
			ty, wh, st, ln, pd = a.unpack(fl); w.puts [ty, wh, st, ln, pd == Process.ppid].inspect; exit!
		end
		Process.wait(pid); w.close; r.read
	end
	t(:mkfifo) { File.mkfifo(p = "#{d}/ff", 0777); th = Thread.new { File.read(p) }; File.write(p, 'hey'); [th.value, File.ftype(p)] }
	t(:utime_ns) do
		File.write(p = "#{d}/u", ''); File.utime(Time.at(1, 999999999, :nsec), Time.at(2, 1, :nsec), p)
		s = File.stat(p); [s.atime.nsec, s.mtime.nsec]
	end
ensure
	FileUtils.rm_rf(d)
end
t(:fiddle) do
	require 'fiddle'
	Fiddle::Function.new(Fiddle.dlopen(nil)['strlen'], [Fiddle::TYPE_VOIDP], Fiddle::TYPE_SIZE_T).call('hello')
end
