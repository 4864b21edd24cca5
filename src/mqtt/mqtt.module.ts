import { Global, Module } from '@nestjs/common';
import { EmbeddedBroker } from './embedded-broker.service.js';
import { MqttConnection } from './mqtt-connection.service.js';

@Global()
@Module({ providers: [MqttConnection, EmbeddedBroker], exports: [MqttConnection, EmbeddedBroker] })
export class MqttModule {}
