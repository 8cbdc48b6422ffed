# Perl ithreads: shared counter under lock, a queue, join values.
use strict; use warnings; use threads; use threads::shared; use Thread::Queue;
my $n :shared = 0; my $q = Thread::Queue->new;
my @t = map { threads->create(sub { for (1..1000) { lock($n); $n++ } $q->enqueue(threads->tid); return threads->tid * 2 }) } 1..6;
my $s = 0; $s += $_->join for @t; $q->end;
my @ids = sort { $a <=> $b } grep { defined } map { $q->dequeue_nb } 1..6;
print "n=$n s=$s ids=@ids\n";
