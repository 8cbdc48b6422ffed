// Node: worker_threads (messages, SharedArrayBuffer + Atomics), child_process (execSync,
// spawnSync, spawn with pipes, fork with IPC), fs.watch, timers, fs/promises, crypto, zlib.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const cp = require('child_process'), fs = require('fs'), os = require('os'), path = require('path');
if (process.argv[2] === 'child') {
  process.send('hello from child');
  process.on('message', m => process.exit(m === 'bye' ? 3 : 1));
  return;
}
if (!isMainThread) {
  let s = 0;
  for (let i = 0; i < 1e6; i++) s += i % workerData;
  parentPort.postMessage(s);
  return;
}
(async () => {
  const rs = await Promise.all([3, 5, 7, 11].map(n => new Promise((res, rej) => {
    const w = new Worker(__filename, { workerData: n });
    w.on('message', res);
    w.on('error', rej);
  })));
  console.log('workers', rs);
  const sab = new SharedArrayBuffer(8), ia = new Int32Array(sab);
  await Promise.all([1, 2, 3].map(() => new Promise(res => {
    const w = new Worker('const { workerData: b, parentPort } = require("worker_threads");' +
      'const a = new Int32Array(b); for (let i = 0; i < 10000; i++) Atomics.add(a, 0, 1);' +
      'parentPort.postMessage(0);', { eval: true, workerData: sab });
    w.on('message', res);
  })));
  console.log('atomics', ia[0]);
  console.log('execSync', cp.execSync('echo hi; echo err >&2', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
  console.log('spawnSync', cp.spawnSync('/bin/sh', ['-c', 'exit 7']).status);
  await new Promise(res => {
    const c = cp.spawn('/usr/bin/sort', [], { stdio: ['pipe', 'pipe', 'inherit'] });
    let o = '';
    c.stdout.on('data', d => o += d);
    c.on('close', code => { console.log('sort', JSON.stringify(o), code); res(); });
    c.stdin.end('b\na\nc\n');
  });
  await new Promise(res => {
    const c = cp.fork(__filename, ['child']);
    c.on('message', m => { console.log('fork message', m); c.send('bye'); });
    c.on('exit', code => { console.log('fork exit', code); res(); });
  });
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nw'));
  await new Promise(res => {
    const w = fs.watch(d, (ev, name) => { console.log('watch', ev, name); w.close(); res(); });
    setTimeout(() => fs.writeFileSync(path.join(d, 'f.txt'), 'x'), 50);
  });
  fs.rmSync(d, { recursive: true });
  const t0 = Date.now();
  await new Promise(r => setTimeout(r, 100));
  console.log('timeout waited', Date.now() - t0 >= 99);
  let n = 0;
  await new Promise(r => { const iv = setInterval(() => { if (++n === 5) { clearInterval(iv); r(); } }, 10); });
  console.log('interval', n);
  setImmediate(() => console.log('immediate'));
  process.nextTick(() => console.log('nextTick'));
  await new Promise(r => setTimeout(r, 20));
  const fp = require('fs/promises'), f = path.join(os.tmpdir(), 'nodefp' + process.pid);
  await fp.writeFile(f, 'abc');
  await fp.appendFile(f, 'def');
  console.log('fs/promises', await fp.readFile(f, 'utf8'), (await fp.stat(f)).size);
  await fp.unlink(f);
  const crypto = require('crypto'), zlib = require('zlib');
  console.log('sha256', crypto.createHash('sha256').update('x').digest('hex').slice(0, 16));
  console.log('gzip', zlib.gunzipSync(zlib.gzipSync('hello')).toString());
  await new Promise(r => crypto.pbkdf2('p', 's', 1000, 16, 'sha256', (e, k) => { console.log('pbkdf2', k.toString('hex')); r(); }));
  console.log('os', os.cpus().length > 0, os.totalmem() > 0, os.loadavg().length);
})();
