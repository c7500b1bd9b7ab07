/**
 * nginx as a plain reverse proxy in front of the gateway benchmark's upstream: the same Chat Completions
 * request passed through unchanged, one worker process, no buffering, keep-alive upstream connections. It
 * translates nothing, so it is not a peer of the gateways; it is what one more loopback hop costs on this
 * machine in a C event loop — the line under which no Node gateway's added time to the first token can go.
 *
 * Debian's `nginx-light` (`.ci/run` installs it); `BENCH_NGINX` names another binary. Without one the
 * benchmark leaves its row out and says so.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type GatewayProcess, startForeign } from './gateway-processes.ts';

/** The nginx binary to run, or undefined when none is installed. */
export function findNginx(): string | undefined {
  const path = process.env.BENCH_NGINX ?? '/usr/sbin/nginx';
  return existsSync(path) ? path : undefined;
}

export async function startNginxProxy(binary: string, upstreamUrl: string): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-nginx-'));
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), config(dir, port, new URL(upstreamUrl).host));
  try {
    // In the foreground, without a master: the one process serving is the one whose CPU is read.
    const proxy = await startForeign('nginx', port, binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
      readyPath: READY_PATH,
    });
    return {
      ...proxy,
      close: async () => {
        await proxy.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Answered by nginx itself, so that waiting for it to start sends the upstream nothing. */
const READY_PATH = '/nginx-ready';

function config(dir: string, port: number, upstreamHost: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${join(dir, kind)};`)
    .join(' ');
  return `daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} error;
events { worker_connections 1024; }
http {
  access_log off;
  ${temp}
  upstream paced { server ${upstreamHost}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location = ${READY_PATH} { return 204; }
    location / {
      proxy_pass http://paced;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
`;
}
