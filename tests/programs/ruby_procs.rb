# Ruby: fork and pipes, Open3, backticks, system, spawn, threads with Queue, Mutex and
# ConditionVariable, TCP and unix sockets, flock, Timeout, signals, fibers, a Ractor.
require 'socket'; require 'tmpdir'; require 'open3'; require 'timeout'; require 'etc'
$stdout.sync = true
r, w = IO.pipe
pid = fork { r.close; 3.times { |i| w.puts "child #{i}" }; w.close; exit! 5 }
w.close; puts r.read; Process.wait(pid); puts "status #{$?.exitstatus}"
out, st = Open3.capture2('tr a-z A-Z', stdin_data: "abc\n"); puts "open3 #{out.strip} #{st.exitstatus}"
puts "backticks #{`echo hi`.strip} #{$?.exitstatus}"
puts "system #{system('sh', '-c', 'exit 3')} #{$?.exitstatus}"
q = Queue.new
ts = 8.times.map { |i| Thread.new { sum = 0; 100000.times { |j| sum += j % (i + 1) }; q << i; sum } }
puts "threads #{ts.map(&:value).sum} #{8.times.map { q.pop }.sort.inspect}"
m = Mutex.new; cv = ConditionVariable.new; ready = false
t = Thread.new { m.synchronize { cv.wait(m) until ready; puts "condition variable woke" } }
sleep 0.05; m.synchronize { ready = true; cv.signal }; t.join
srv = TCPServer.new('127.0.0.1', 0); port = srv.addr[1]
th = Thread.new { c = srv.accept; l = c.gets; c.puts "pong #{l.strip}"; c.close }
c = TCPSocket.new('127.0.0.1', port); c.puts 'ping'; puts c.gets; c.close; th.join
a, b = UNIXSocket.pair; a.send("datagram", 0); puts b.recv(10)
Dir.mktmpdir('rb') do |d|
  File.write("#{d}/f", "x" * 100); File.rename("#{d}/f", "#{d}/g")
  puts Dir.children(d).inspect, File.size("#{d}/g")
  File.open("#{d}/g") { |f| puts "flock #{f.flock(File::LOCK_EX)}" }
  path = "#{d}/sock"; us = UNIXServer.new(path)
  th = Thread.new { cc = us.accept; cc.write(cc.read(3).upcase); cc.close }
  uc = UNIXSocket.new(path); uc.write('abc'); puts uc.read; th.join
end
begin; Timeout.timeout(0.2) { sleep 2 }; rescue Timeout::Error; puts 'timeout'; end
Signal.trap('USR1') { puts 'usr1' }; Process.kill('USR1', Process.pid); sleep 0.1
rd, wr = IO.pipe
pids = 5.times.map { |i| spawn('sh', '-c', "echo #{i}", out: wr) }; wr.close
pids.each { |p| Process.wait(p) }; puts rd.read.split.sort.join(',')
puts "nprocessors #{Etc.nprocessors > 0}"
f = Fiber.new { Fiber.yield 1; 2 }; puts "fiber #{f.resume} #{f.resume}"
Warning[:experimental] = false
ra = Ractor.new { Ractor.receive * 2 }; ra.send(21); puts "ractor #{ra.take}"
