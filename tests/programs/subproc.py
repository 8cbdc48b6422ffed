# Python subprocess: a shell pipeline, Popen with pipes both ways, and check_output.
import subprocess as s

r = s.run("seq 1 100 | sort -n | tail -1", shell=True, capture_output=True, text=True)
print(r.stdout.strip(), r.returncode)
print(s.Popen(["cat"], stdin=s.PIPE, stdout=s.PIPE).communicate(b"roundtrip")[0])
print(s.check_output(["/bin/echo", "check_output"]).decode().strip())
print(s.run(["/bin/sh", "-c", "exit 7"]).returncode)
