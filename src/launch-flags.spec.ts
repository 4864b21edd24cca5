import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { SERVICE_NODE_FLAGS } from './launch-flags.js';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

describe('the service is started with SERVICE_NODE_FLAGS everywhere', () => {
  it('by npm start and npm run serve', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const launch = `node ${SERVICE_NODE_FLAGS.join(' ')} dist/src/main.js`;
    expect(scripts.start).toBe(`${launch} --demo --with-sim`);
    expect(scripts.serve).toBe(launch);
  });

  it("by the container image's CMD", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
    expect(cmd).not.toBeNull();
    expect(JSON.parse(cmd![1])).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/src/main.js']);
  });
});
