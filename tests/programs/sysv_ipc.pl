#!/usr/bin/perl
# System V IPC through perl's IPC::SysV modules: a shared memory segment, a semaphore set
# and a message queue used by a forked child and its parent; every object removed at the end.
use strict;
use warnings;
use IPC::SysV qw(IPC_PRIVATE IPC_CREAT IPC_NOWAIT S_IRUSR S_IWUSR SEM_UNDO);
use IPC::SharedMem;
use IPC::Semaphore;
use IPC::Msg;
use POSIX ();

$| = 1;
my $shm = IPC::SharedMem->new(IPC_PRIVATE, 4096, S_IRUSR | S_IWUSR) or die "shm: $!";
my $sem = IPC::Semaphore->new(IPC_PRIVATE, 2, S_IRUSR | S_IWUSR | IPC_CREAT) or die "sem: $!";
my $msg = IPC::Msg->new(IPC_PRIVATE, S_IRUSR | S_IWUSR) or die "msg: $!";
END {
	$shm->remove if $shm;
	$sem->remove if $sem;
	$msg->remove if $msg;
}
$sem->setall(0, 0);
$shm->attach or die "attach: $!";
$shm->write("parent was here", 0, 15);

my $pid = fork() // die "fork: $!";
if ($pid == 0) {
	# wait for the parent's go, read and answer through all three
	$sem->op(0, -1, 0) or die "child op: $!";
	my $seen = $shm->read(0, 15);
	$shm->write("child answered!", 0, 15);
	$msg->snd(2, "child saw: $seen") or die "snd: $!";
	$msg->snd(1, "first by type") or die "snd: $!";
	$sem->op(1, 1, SEM_UNDO);   # undone when the child exits
	$sem->op(1, 1, 0);
	POSIX::_exit(0);   # (not exit: END would remove the objects)
}
$sem->op(0, 1, 0);
my $buf;
$msg->rcv($buf, 100, 1) or die "rcv: $!";
print "type 1: $buf\n";
$msg->rcv($buf, 100, 0) or die "rcv: $!";
print "next: $buf\n";
waitpid($pid, 0);
print "child exit ", $? >> 8, "\n";
print "shared now: ", $shm->read(0, 15), "\n";
print "sem values: ", join(",", $sem->getall), "\n";
my $st = $shm->stat;
print "segsz ", $st->segsz, " nattch ", $st->nattch, "\n";
print "queue qnum ", $msg->stat->qnum, "\n";
print "nowait rcv: ", ($msg->rcv($buf, 100, 0, IPC_NOWAIT) ? "got" : "none"), "\n";
$shm->detach;
print "done\n";
