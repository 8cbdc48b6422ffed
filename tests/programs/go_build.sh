# go build of a small program (go/main.go: goroutines, timers, net/http on loopback, TCP
# copies, os/exec) in the working directory (the go tool: a fork/exec, thread and mmap
# workload), then running what it built.
set -e
export HOME=$PWD/home GOCACHE=$PWD/cache GOPATH=$PWD/gopath GOFLAGS=-buildvcs=false GOPROXY=off
mkdir -p app && cp "$1/main.go" app/ && cd app
printf 'module app\n\ngo 1.19\n' >go.mod
go build -o app .
./app
