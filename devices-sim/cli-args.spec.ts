import { describe, expect, it } from '@jest/globals';
import { parseCli } from './cli-args.js';

const parse = (args: string, env: NodeJS.ProcessEnv = {}) => parseCli(args ? args.split(' ') : [], env);

describe('command line', () => {
  it('has the defaults of SIMULATOR.md', () => {
    expect(parse('')).toEqual({
      url: 'mqtt://localhost:1883', sirens: 200, registry: undefined, faults: undefined, intervalS: 30, timeScale: 1,
      groundTruth: undefined, generatedAt: undefined, durationS: undefined, seed: 1, topicRoot: 'sirenwatch/v1',
    });
    expect(parse('', { MQTT_URL: 'mqtt://broker:1883' })).toMatchObject({ url: 'mqtt://broker:1883' });
  });

  it('reads every option', () => {
    expect(parse('--url mqtt://127.0.0.1:1884 --sirens 5000 --faults f.json --interval 10 --time-scale 0.05 --ground-truth gt.json --duration 60 --seed 7 --topic-root test/v1')).toEqual({
      url: 'mqtt://127.0.0.1:1884', sirens: 5000, registry: undefined, faults: 'f.json', intervalS: 10, timeScale: 0.05,
      groundTruth: 'gt.json', generatedAt: undefined, durationS: 60, seed: 7, topicRoot: 'test/v1',
    });
    expect(parse('--registry r.csv')).toMatchObject({ registry: 'r.csv' });
    expect(parse('--help')).toEqual({ help: true });
    expect(parse('-h --sirens nonsense')).toEqual({ help: true });
  });

  it('takes a share of multimedia sirens', () => {
    expect(parse('--voice-share 0.4')).toMatchObject({ voiceShare: 0.4 });
    expect(parse('--voice-share 0')).toMatchObject({ voiceShare: 0 });
  });

  it('takes generatedAt from the option, else SOURCE_DATE_EPOCH', () => {
    expect(parse('--generated-at 2026-09-18T02:00:00Z')).toMatchObject({ generatedAt: '2026-09-18T02:00:00.000Z' });
    expect(parse('', { SOURCE_DATE_EPOCH: '1767225600' })).toMatchObject({ generatedAt: '2026-01-01T00:00:00.000Z' });
  });

  it.each([
    ['--sirens 0', '--sirens: expected a whole number from 1 to 100000, got "0"'],
    ['--interval 2.5', '--interval: expected a whole number from 1 to 86400, got "2.5"'],
    ['--time-scale 0', '--time-scale: expected a number > 0 and ≤ 1, got "0"'],
    ['--time-scale 1.5', '--time-scale: expected a number > 0 and ≤ 1, got "1.5"'],
    ['--duration=-3', '--duration: expected a number > 0 and ≤ 31536000, got "-3"'],
    ['--seed x', '--seed: expected a whole number from 0 to 4294967295, got "x"'],
    ['--url localhost:1883', '--url: the scheme must be one of mqtt: mqtts: tcp: ssl: ws: wss:, got localhost:'],
    ['--url nothing', '--url: not a URL: "nothing"'],
    ['--topic-root a/+/b', '--topic-root: must be a topic without wildcards or leading/trailing "/", got "a/+/b"'],
    ['--sirens 3 --registry r.csv', '--sirens and --registry: use one or the other'],
    ['--generated-at yesterday', '--generated-at: not a date: "yesterday"'],
    ['--voice-share 1.5', '--voice-share: expected a number from 0 to 1, got "1.5"'],
    ['--frobnicate', "Unknown option '--frobnicate'"],
  ])('%s → %s', (args, message) => {
    expect(() => parse(args)).toThrow(message);
  });
});
