// Fallback store for machines without Go: a real mongod from mongodb-memory-server, which
// downloads the binary once (needs internet). Plain JavaScript so it runs before any build.
// Usage: node scripts/mongo-memory.js PORT DBPATH — stays up until SIGTERM/SIGINT.
const { MongoMemoryServer } = require('mongodb-memory-server-core');

async function main() {
  const port = Number(process.argv[2] || 27017);
  const dbPath = process.argv[3];
  const server = await MongoMemoryServer.create({
    instance: { port, ip: '127.0.0.1', dbPath, storageEngine: 'wiredTiger' },
  });
  console.log(`mongod ready at ${server.getUri()}`);
  const stop = async () => {
    await server.stop({ doCleanup: false });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(`mongodb-memory-server could not start mongod: ${error.message}`);
  process.exit(1);
});
