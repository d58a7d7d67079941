// Graceful shutdown: on SIGTERM/SIGINT the server stops accepting connections, answers 503 to requests
// that arrive on kept-alive connections (so a load balancer moves on), lets the requests in flight finish,
// then closes the database pools. A deadline (SINTRA_SHUTDOWN_TIMEOUT_MS) ends a shutdown that hangs.
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  timeoutMs: number;
  /** Runs after the HTTP server has closed: the pools. */
  onClosed: () => Promise<void>;
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

export function installGracefulShutdown(app: FastifyInstance, opts: ShutdownOptions): (signal: string) => Promise<void> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let started: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    started ??= (async () => {
      app.log.info({ signal }, 'apagado ordenado: no se aceptan conexiones nuevas; se terminan las solicitudes en curso');
      const deadline = setTimeout(() => {
        app.log.error({ timeoutMs: opts.timeoutMs }, 'apagado: se agotó el tiempo de espera; se cierran las conexiones pendientes');
        exit(1);
      }, opts.timeoutMs);
      deadline.unref();
      try {
        await app.close();
        await opts.onClosed();
        app.log.info('apagado completo');
        clearTimeout(deadline);
        exit(0);
      } catch (e) {
        app.log.error({ err: e }, 'apagado con error');
        exit(1);
      }
    })();
    return started;
  };
  for (const s of opts.signals ?? (['SIGTERM', 'SIGINT'] as NodeJS.Signals[])) process.on(s, () => void shutdown(s));
  return shutdown;
}
