# Perl: fork and pipes, open -| and |-, backticks, socketpair, TCP on loopback, select,
# signals (kill to itself, alarm), many children, files and flock.
use strict; use warnings;
use IO::Socket::INET; use IO::Select; use Socket; use File::Temp qw(tempdir);
$| = 1;
pipe(my $r, my $w) or die;
my $pid = fork // die;
if (!$pid) { close $r; print $w "child $_\n" for 1..3; close $w; exit 7; }
close $w; my @l = <$r>; waitpid($pid, 0); print "pipe: @l", "status ", $? >> 8, "\n";
open(my $p, '-|', 'echo', 'from-echo') or die; print "open -|: ", <$p>; close $p;
open(my $q, '|-', 'tr a-z A-Z') or die; print $q "upper\n"; close $q;
print "backticks: ", `printf 'x y\n'`;
socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die;
syswrite $a, "sp"; sysread $b, my $buf, 10; print "socketpair $buf\n";
my $srv = IO::Socket::INET->new(Listen => 5, LocalAddr => '127.0.0.1', LocalPort => 0,
	Proto => 'tcp', ReuseAddr => 1) or die "listen: $!";
my $port = $srv->sockport;
if (!($pid = fork)) {
	my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port) or die;
	print $c "ping\n"; my $x = <$c>; print "client got $x"; exit 0;
}
my $c = $srv->accept; my $line = <$c>; print $c "pong\n"; close $c; waitpid $pid, 0;
print "server got $line";
my $sel = IO::Select->new($srv); my @rd = $sel->can_read(0.1); print "select ", scalar(@rd), "\n";
$SIG{USR1} = sub { print "got USR1\n" }; kill 'USR1', $$;
$SIG{ALRM} = sub { die "alarm\n" };
eval { alarm 1; select(undef, undef, undef, 3); }; print "eval: $@"; alarm 0;
my @k; for my $i (1..10) { my $p2 = fork; if (!$p2) { exit $i } push @k, $p2 }
my $s = 0; for (@k) { waitpid $_, 0; $s += $? >> 8 } print "children $s\n";
my $d = tempdir(CLEANUP => 1);
open my $f, '>', "$d/x" or die; print $f "abc" x 1000; close $f; print "size ", -s "$d/x", "\n";
opendir my $dh, $d or die; print "dir ", join(',', sort grep { !/^\./ } readdir $dh), "\n";
rename "$d/x", "$d/y" or die; print "renamed ", (-e "$d/y" ? 1 : 0), "\n";
open $f, '<', "$d/y" or die; print "flock ", (flock($f, 2) ? 1 : 0), "\n";
