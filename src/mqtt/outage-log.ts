import type { Logger } from '@nestjs/common';
import type { MqttClient } from 'mqtt';

/** Logs a connection's errors one line per outage, not one per reconnect attempt. */
export function logErrorsOncePerOutage(client: MqttClient, log: Logger, label: string): void {
  let lastError = '';
  client.on('error', (e) => {
    if (e.message !== lastError) log.error(`${label}: ${e.message}`);
    lastError = e.message;
  });
  client.on('connect', () => (lastError = ''));
}
