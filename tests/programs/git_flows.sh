# git beyond commit and log, in the working directory: clone of a local repository, a merge
# with a conflict, rebase -i driven by GIT_SEQUENCE_EDITOR, stash with untracked files,
# worktree add/remove, gc --aggressive, fsck --strict, bisect run, hooks that pass and
# reject, archive through tar and zip, submodules from a local path, a bare and a shallow
# clone.
set -e
export HOME=$PWD GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z
git config --global user.email a@b
git config --global user.name n
git config --global init.defaultBranch master
git config --global protocol.file.allow always
git config --global gc.auto 0
git init -q up
cd up
for i in 1 2 3 4 5 6; do echo "line $i" >> f; git add f; git commit -qm "c$i"; done
cd ..
git clone -q up cl
cd cl
git checkout -qb b1; sed -i 's/line 3/B1/' f; git commit -qam b1
git checkout -q master; sed -i 's/line 3/MASTER/' f; git commit -qam m1
git merge b1 || echo "merge rc=$?"
git status --short
git checkout --theirs f; git add f; git commit -qm merged --no-edit
git log --oneline --graph | cat
echo "== rebase -i"
git checkout -qb r1 HEAD~1
for i in a b c; do echo $i > $i; git add $i; git commit -qm "add $i"; done
GIT_SEQUENCE_EDITOR="sed -i -e '2s/^pick/squash/' -e '3s/^pick/drop/'" GIT_EDITOR=true \
	git rebase -q -i HEAD~3
git log --format=%s | cat
ls
echo "== stash"
echo dirty >> a; echo u > untracked
git stash -u -q; git status --short; git stash list | cat
git stash pop -q; git status --short
git checkout -q a; rm untracked
echo "== worktree"
git worktree add -q ../wt1 -b wtb
(cd ../wt1 && echo w > w && git add w && git commit -qm wt && git log -1 --format=%s)
git worktree list --porcelain | grep -c worktree
git worktree remove ../wt1
echo "== gc"
git gc -q --aggressive --prune=now
git count-objects -v | grep -E '^(count|in-pack|packs):'
git fsck --full --no-progress --strict
git repack -adq --window=50
echo "== bisect"
cd ../up
git bisect start HEAD HEAD~5 >/dev/null
git bisect run sh -c '! grep -q "line 4" f' > ../bisect.out 2>&1
grep 'is the first bad commit' ../bisect.out
git bisect reset >/dev/null 2>&1
echo "== hooks"
printf '#!/bin/sh\necho "pre-commit hook ran"\n' > .git/hooks/pre-commit
printf '#!/bin/sh\n! grep -q bad "$1" || { echo rejected; exit 1; }\n' > .git/hooks/commit-msg
chmod +x .git/hooks/pre-commit .git/hooks/commit-msg
echo h > h; git add h; git commit -qm good
echo h2 >> h; git commit -qam bad || echo "commit rc=$?"
git reset -q --hard
echo "== archive"
git archive --prefix=p/ HEAD | tar -tf - | sort
git archive --format=tar.gz HEAD > ../a.tgz; tar -tzf ../a.tgz
git archive --format=zip HEAD > ../a.zip; unzip -l ../a.zip | awk '{print $NF}' | grep -x -e f -e h
echo "== submodule"
cd ..; git init -q sup; cd sup; echo s > s; git add s; git commit -qm s; cd ..
cd cl; git submodule add -q ../sup mods/sup; git commit -qm sub
git submodule status | cut -c42-
cd ..; git clone -q --recurse-submodules cl cl2 2>&1; cat cl2/mods/sup/s
cd cl2; git submodule foreach -q 'echo in $name'; git log --oneline | wc -l
echo "== bare and shallow"
git tag -a v1 -m v1; git describe
git clone -q --bare . ../bare.git; git -C ../bare.git rev-parse HEAD
git clone -q --depth 1 "file://$(cd ../up && pwd)" ../shallow; git -C ../shallow log --oneline | wc -l
git -C ../shallow rev-parse --is-shallow-repository
