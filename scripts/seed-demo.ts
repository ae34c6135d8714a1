// `npm run seed`: seeds the demo tenant into the store at MONGO_URL (or the local one).
import { startLocalServices } from '../src/config/local-services';
import { connectStore } from '../src/store';
import { seedDemoTenant, DEMO_TENANT_ID } from '../src/simulator/seed-demo';

async function main(): Promise<void> {
  const env = { ...process.env, ...startLocalServices(process.env, { kafka: false, mongo: true }) };
  if (!env.MONGO_URL) throw new Error('MONGO_URL is not set and no local store could be started');
  const store = connectStore(env.MONGO_URL);
  try {
    await store.ready();
    const created = await seedDemoTenant(store.models);
    console.log(
      created
        ? `seeded the demo tenant '${created}'`
        : `the demo tenant '${DEMO_TENANT_ID}' already exists; nothing changed`,
    );
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(`seeding failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
