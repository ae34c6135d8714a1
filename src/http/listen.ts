import { createServer, type Server } from 'node:net';

/** Why a server cannot listen at `host:port`, in words a person starting the service can act on. */
export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    cause: string,
  ) {
    super(
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use by another process (another IEX ChatOps?): stop it, or start this one with PORT=<another port>`
        : code === 'EACCES'
          ? `port ${port} on ${host} needs more rights than this process has: use a port above 1023 (PORT)`
          : code === 'EADDRNOTAVAIL'
            ? `${host} is not an address of this machine: set HOST to one of its addresses (0.0.0.0 for all)`
            : `cannot listen on ${host}:${port}: ${cause}`,
    );
    this.name = 'ListenError';
  }
}

const listenError = (host: string, port: number, error: NodeJS.ErrnoException) =>
  new ListenError(host, port, error.code, error.message);

/** Listens, turning "address in use" and its kind into a ListenError that names the port and the cause. */
export function listenOn<S extends Pick<Server, 'listen' | 'once' | 'off'>>(
  server: S,
  port: number,
  host: string,
): Promise<S> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(listenError(host, port, error));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}

/**
 * Checks that `host:port` can be listened on, before the start does anything that takes time or
 * changes something (seeding, topics, consumers joining their groups): a port in use then stops
 * the start at once, with its reason, instead of after all that. Port 0 (any free port) always can.
 */
export async function assertCanListen(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listenOn(probe, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
