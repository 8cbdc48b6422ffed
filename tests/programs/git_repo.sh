# git on a repository that exists on the host (the sandbox changes it in the overlay).
set -e
export GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z
g() { git -c user.email=a@b -c user.name=n -c gc.auto=0 "$@"; }
cd repo
g status --short
echo change >> f1; rm f2; echo new > f4; git mv sub sub2
g status --short
g add -A; g commit -qm second
g checkout -qb topic; echo t > t; g add t; g commit -qm topic
g checkout -q master
g merge -q --no-edit topic
g log --format='%s %H' | cat
g repack -qad
g gc -q --prune=now
g fsck --no-progress 2>&1 | grep -v dangling || true
ls
g ls-files -s | cat
g diff HEAD~2 --stat | cat
