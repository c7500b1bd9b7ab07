// Is a string res.end() slower than a Buffer one? Bare servers only, CPU per request.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { runLoad } from '../src/lib/load.ts';
if (process.argv[2] === 'child') {
  const mode = process.argv[3];
  const body = JSON.stringify({ id: 'v1_x'.repeat(10), status: 'completed', steps: [{ type: 'model_output', content: [{ type: 'text', text: 'The answer is forty-two.' }] }], pad: 'x'.repeat(200) });
  const buf = Buffer.from(body);
  const http = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const work = () => {
        if (mode === 'buffer') {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': buf.length });
          res.end(buf);
        } else {
          const text = JSON.stringify(JSON.parse(body));
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        }
      };
      if (process.argv[4] === 'defer') setImmediate(work); else work();
    });
  });
  http.listen(0, '127.0.0.1', () => process.send!({ port: (http.address() as any).port }));
  process.on('message', () => process.send!({ cpu: process.cpuUsage() }));
} else {
  for (const mode of ['buffer', 'string', 'buffer', 'string']) for (const defer of ['now', 'defer']) {
    const child = fork(new URL(import.meta.url), ['child', mode, defer]);
    const port = await new Promise<number>((r) => child.once('message', (m: any) => r(m.port)));
    const cpu = () => new Promise<any>((r) => { child.once('message', (m: any) => r(m.cpu)); child.send('x'); });
    const c0 = await cpu();
    const res = await runLoad({ url: `http://127.0.0.1:${port}`, path: '/', body: '{"a":1}', concurrency: 8, warmupMs: 300, durationMs: 2000 });
    const c1 = await cpu();
    console.log(mode, defer, 'rps', res.rps.toFixed(0), 'cpu µs/req', ((c1.user + c1.system - c0.user - c0.system) / res.sent).toFixed(1), 'user', ((c1.user - c0.user) / res.sent).toFixed(1), 'sys', ((c1.system - c0.system) / res.sent).toFixed(1));
    child.kill();
  }
}
