// A Go program run by go_build.sh: goroutines and channels, timers, net/http on
// loopback, TCP-to-TCP io.Copy (splice), pipe-to-TCP io.Copy (sendfile, then a copy),
// a dial to a server that closes at once, os/exec with pipes, files.
package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

func must(err error) {
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

func goroutines() {
	ch := make(chan int, 10)
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(n int) { defer wg.Done(); ch <- n * n }(i)
	}
	go func() { wg.Wait(); close(ch) }()
	sum := 0
	for v := range ch {
		sum += v
	}
	fmt.Println("goroutines: sum", sum)
}

func timers() {
	t := time.NewTimer(50 * time.Millisecond)
	tk := time.NewTicker(5 * time.Millisecond)
	n := 0
	for done := false; !done; {
		select {
		case <-tk.C:
			n++
		case <-t.C:
			done = true
		}
	}
	tk.Stop()
	ctxDone := make(chan struct{})
	time.AfterFunc(10*time.Millisecond, func() { close(ctxDone) })
	<-ctxDone
	fmt.Println("timers: ticks", n > 0)
}

func httpLoopback() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Path)
	})}
	go srv.Serve(ln)
	var res []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			resp, err := http.Get(fmt.Sprintf("http://%s/p%02d", ln.Addr(), i))
			s := ""
			if err != nil {
				s = "error " + err.Error()
			} else {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				s = string(b)
			}
			mu.Lock()
			res = append(res, s)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Strings(res)
	fmt.Println("http:", len(res), res[0], res[15])
	srv.Close()
}

// pair returns both ends of a loopback TCP connection.
func pair(ln net.Listener) (net.Conn, net.Conn) {
	ch := make(chan net.Conn)
	go func() { c, err := ln.Accept(); must(err); ch <- c }()
	c, err := net.Dial("tcp", ln.Addr().String())
	must(err)
	return c, <-ch
}

func tcpCopies() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	defer ln.Close()
	// TCP to TCP: io.Copy splices through a pipe
	upC, upS := pair(ln)
	downC, downS := pair(ln)
	const size = 8 << 20
	go func() {
		buf := make([]byte, 64<<10)
		for i := range buf {
			buf[i] = byte(i * 7)
		}
		for sent := 0; sent < size; sent += len(buf) {
			_, err := upC.Write(buf)
			must(err)
		}
		upC.Close()
	}()
	done := make(chan string)
	go func() {
		h := sha256.New()
		n, _ := io.Copy(h, downC)
		done <- fmt.Sprintf("%d %x", n, h.Sum(nil)[:8])
	}()
	n, err := io.Copy(downS, upS)
	must(err)
	downS.Close()
	fmt.Println("tcp to tcp: copied", n, "received", <-done)
	upS.Close()
	downC.Close()
	// a pipe into TCP (sendfile refuses a pipe: a plain copy)
	c, s := pair(ln)
	r, w, err := os.Pipe()
	must(err)
	go func() { w.Write([]byte("through a pipe")); w.Close() }()
	go func() { io.Copy(c, r); c.Close() }()
	b, _ := io.ReadAll(s)
	fmt.Printf("pipe to tcp: %q\n", b)
	// a server that accepts and closes at once: the dial still succeeds
	go func() {
		for i := 0; i < 20; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	ok := 0
	for i := 0; i < 20; i++ {
		d := net.Dialer{Timeout: 5 * time.Second}
		c, err := d.Dial("tcp", ln.Addr().String())
		if err == nil {
			ok++
			c.Close()
		}
	}
	fmt.Println("dials to a closing server:", ok)
}

func execs() {
	out, err := exec.Command("/bin/sh", "-c", "echo from child; exit 3").Output()
	fmt.Printf("exec: %q %v\n", out, err)
	cmd := exec.Command("/usr/bin/tr", "a-z", "A-Z")
	cmd.Stdin = strings.NewReader("pipe me")
	out, err = cmd.Output()
	fmt.Printf("exec tr: %q %v\n", out, err)
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := exec.Command("/bin/sh", "-c", fmt.Sprintf("exit %d", i)).Run()
			if e, ok := err.(*exec.ExitError); ok {
				codes[i] = e.ExitCode()
			}
		}(i)
	}
	wg.Wait()
	fmt.Println("exec in parallel:", codes)
}

func files() {
	d, err := os.MkdirTemp("", "gotest")
	must(err)
	defer os.RemoveAll(d)
	must(os.WriteFile(d+"/f", []byte("data"), 0644))
	must(os.Rename(d+"/f", d+"/g"))
	b, err := os.ReadFile(d + "/g")
	must(err)
	ents, err := os.ReadDir(d)
	must(err)
	fmt.Println("files:", string(b), len(ents), ents[0].Name())
}

func main() {
	goroutines()
	timers()
	httpLoopback()
	tcpCopies()
	execs()
	files()
}
