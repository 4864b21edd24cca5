import { externalServers, type Backend } from './env.js';
import { freshDatabase } from './postgres.js';
import { TestService } from './service.js';

/** The service on one backend (external: PostgreSQL with a fresh database, dropped on close, and Mosquitto). */
export async function serviceOn(backend: Backend, env: Record<string, string> = {}): Promise<{ svc: TestService; close: () => Promise<void> }> {
  const fresh = backend === 'external' ? await freshDatabase(externalServers()!.databaseUrl) : null;
  const svc = await TestService.start({ backend, databaseUrl: fresh?.url, env });
  return {
    svc,
    close: async () => {
      await svc.close();
      await fresh?.drop();
    },
  };
}
