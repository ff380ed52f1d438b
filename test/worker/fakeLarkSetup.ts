import type { TestProject } from 'vitest/node';
import { bootstrapSql } from '../helpers/bootstrapSql.js';
import { startFakeLark } from '../helpers/fakeLark.js';

// Runs in the vitest main process (Node) before the Worker suite: the fake Lark Open API, a real
// HTTP server on loopback that workerd reaches over the network like the real Lark, and the
// bootstrap SQL the CLI writes for a Worker's D1. Both reach the tests through provide/inject.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = await startFakeLark();
  project.provide('fakeLark', { url: fake.url, appId: fake.appId, appSecret: fake.appSecret });
  project.provide('bootstrapSql', await bootstrapSql());
  return () => fake.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakeLark: { url: string; appId: string; appSecret: string };
    bootstrapSql: string;
  }
}
