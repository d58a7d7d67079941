import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded database is opened by one process only. A lock file with our PID keeps a second
 * server or a CLI command from opening it at the same time (which would corrupt it).
 */
export function acquireDataDirLock(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'sintra.lock');
  if (fs.existsSync(file)) {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && isAlive(pid))
      throw new Error(
        `La base de datos integrada en ${dataDir} está abierta por otro proceso de SINTRA (PID ${pid}). Detenga el servidor antes de usar este comando.`,
      );
  }
  fs.writeFileSync(file, String(process.pid));
  const release = () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
  process.on('exit', release);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
