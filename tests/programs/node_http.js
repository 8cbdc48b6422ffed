// Node on loopback TCP: an http server with http.get and fetch (localhost), a net echo server.
const http = require('http'), net = require('net');
const srv = http.createServer((req, res) => { res.end('node ' + req.url); });
srv.listen(0, '127.0.0.1', async () => {
  const port = srv.address().port;
  const body = await new Promise(r => http.get({ host: '127.0.0.1', port, path: '/a' }, res => { let d = ''; res.on('data', c => d += c); res.on('end', () => r(d)); }));
  console.log(body);
  const r2 = await fetch(`http://localhost:${port}/b`);
  console.log(r2.status, await r2.text());
  srv.close();
  const s = net.createServer(c => c.pipe(c)).listen(0, () => {
    const c = net.connect(s.address().port, '127.0.0.1', () => c.end('echo'));
    c.on('data', d => { console.log(String(d)); s.close(); });
  });
});
