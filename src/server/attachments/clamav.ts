// Scanning attachments with ClamAV's daemon (clamd) where one is configured (SINTRA_CLAMD_SOCKET: a Unix socket
// path or host:port). The INSTREAM command of clamd's protocol over a plain socket: no package, no temp file.
// Protocol: "zINSTREAM\0", then chunks each preceded by its length (4 bytes, big-endian), then a zero length;
// clamd answers one NUL-terminated line: "stream: OK", "stream: <signature> FOUND" or "… ERROR".
import net from 'node:net';

export type ScanResult = { clean: true } | { clean: false; signature: string };

export interface ClamdTarget {
  path?: string;
  host?: string;
  port?: number;
}

/** "host:port", "[v6]:port" or a socket path (anything else), as SINTRA_CLAMD_SOCKET gives it. */
export function parseClamdTarget(s: string): ClamdTarget {
  const m = /^\[?([^\]/]+?)\]?:(\d{1,5})$/.exec(s.trim());
  if (m && !s.startsWith('/')) return { host: m[1], port: Number(m[2]) };
  return { path: s.trim() };
}

/** clamd's default StreamMaxLength is 25 MB: chunks of 64 KB keep memory flat whatever the limit. */
const CHUNK = 64 * 1024;

export class ClamdError extends Error {}

/** Sends a buffer to clamd and reads its verdict. Rejects (ClamdError) when clamd cannot give one. */
export function scanBuffer(target: ClamdTarget, data: Buffer, timeoutMs = 30_000): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const socket = target.path ? net.createConnection({ path: target.path }) : net.createConnection({ host: target.host, port: target.port! });
    const replies: Buffer[] = [];
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      fn();
    };
    socket.setTimeout(timeoutMs, () => done(() => reject(new ClamdError('clamd no respondió a tiempo'))));
    socket.on('error', (e) => done(() => reject(new ClamdError(`no se pudo conectar con clamd: ${e.message}`))));
    socket.on('data', (b) => {
      replies.push(b);
      if (b.includes(0)) finish();
    });
    socket.on('end', finish);
    socket.on('close', () => done(() => reject(new ClamdError('clamd cerró la conexión sin responder'))));
    function finish() {
      const text = Buffer.concat(replies).toString('utf8').replace(/\0[\s\S]*$/, '').trim();
      if (!text) return;
      const found = /^(?:stream|[^:]*):\s*(.+?)\s+FOUND$/.exec(text);
      if (found) return done(() => resolve({ clean: false, signature: found[1] }));
      if (/:\s*OK$/.test(text)) return done(() => resolve({ clean: true }));
      done(() => reject(new ClamdError(`respuesta inesperada de clamd: ${text.slice(0, 200)}`)));
    }
    socket.on('connect', () => {
      socket.write('zINSTREAM\0');
      for (let i = 0; i < data.length; i += CHUNK) {
        const part = data.subarray(i, Math.min(i + CHUNK, data.length));
        const len = Buffer.alloc(4);
        len.writeUInt32BE(part.length, 0);
        socket.write(len);
        socket.write(part);
      }
      socket.write(Buffer.alloc(4));
    });
  });
}
