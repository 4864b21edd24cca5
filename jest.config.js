// ESM project: jest runs with --experimental-vm-modules and ts-jest in ESM mode.
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
export default {
  testTimeout: 60_000,
  // Two files at a time on this 2-core machine: most of a medium test's time is real waiting (report
  // windows, a 20 s outage, a kill -9 and its takeover). 780 s one at a time, 354–398 s two at a time.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/devices-sim/**/*.spec.ts'] },
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/test/console/'] },
    { ...common, displayName: 'console', testMatch: ['<rootDir>/test/console/**/*.test.ts'] },
  ],
};
