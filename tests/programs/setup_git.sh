# A git repository with one commit (fixed dates and identity, so the hashes are stable).
export GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z
git init -q -b master repo
cd repo
for i in 1 2 3; do echo "line $i" > f$i; done
mkdir sub && echo s > sub/s
git add .
git -c user.email=a@b -c user.name=n commit -qm init
