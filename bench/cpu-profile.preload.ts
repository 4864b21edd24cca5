/**
 * Loaded into the service (`node --import`) by `npm run bench -- --cpu-prof`: profiles the CPU between the
 * bench's 'start' and 'stop' messages over the IPC channel, so the profile covers ingest only, not boot.
 * Signals are no use for this: Nest shuts down on SIGUSR2.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export type ProfileCommand = { cpuProfile: 'start' } | { cpuProfile: 'stop'; file: string };
export type ProfileReply = { cpuProfile: 'started' } | { cpuProfile: 'written'; file: string };

const session = new Session();
session.connect();

process.on('message', (m: ProfileCommand) => {
  void (async () => {
    if (m.cpuProfile === 'start') {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      process.send!({ cpuProfile: 'started' } satisfies ProfileReply);
    } else {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(m.file, JSON.stringify(profile));
      process.send!({ cpuProfile: 'written', file: m.file } satisfies ProfileReply);
    }
  })();
});
// After the listener (adding one refs the channel): the channel must not keep the service alive at shutdown.
process.channel?.unref();
