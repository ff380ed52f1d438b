import type { TestProject } from 'vitest/node';
import { startFakeLark } from '../helpers/fakeLark.js';

// The fake Lark Open API for the Worker suite: a real HTTP server on loopback in the vitest main
// process (Node), which workerd reaches over the network like the real Lark. Its address reaches
// the tests through provide/inject.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = await startFakeLark();
  project.provide('fakeLark', { url: fake.url, appId: fake.appId, appSecret: fake.appSecret });
  return () => fake.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakeLark: { url: string; appId: string; appSecret: string };
  }
}
