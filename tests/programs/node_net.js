// Node: a net server and client on a unix socket path, child_process spawn with piped
// stdio (socketpairs in libuv), exec and execFileSync.
const net = require('net'), cp = require('child_process'), os = require('os'), path = require('path'), fs = require('fs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n'));
const p = path.join(dir, 's');
const srv = net.createServer(c => { c.on('data', d => { c.end(d.toString().toUpperCase()); }); });
srv.listen(p, () => {
  const c = net.connect(p, () => c.write('hello net'));
  let got = '';
  c.on('data', d => got += d);
  c.on('end', () => {
    console.log(got);
    srv.close();
    const ch = cp.spawn('sh', ['-c', 'read x; echo "child got $x"; echo err >&2; exit 7'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    ch.stdout.on('data', d => out += d); ch.stderr.on('data', d => err += d);
    ch.on('close', code => {
      console.log(out.trim(), err.trim(), code);
      cp.exec('ls / | wc -l', (e, so) => { console.log('exec ok', so.trim().length > 0);
        console.log(cp.execFileSync('echo', ['sync']).toString().trim());
      });
    });
    ch.stdin.end('abc\n');
  });
});
