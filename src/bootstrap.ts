import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { AppLogger, logLevelsUpTo } from './common/app-logger.js';
import type { AppConfig } from './config/config.schema.js';
import { DemoModule } from './demo/demo.module.js';

/** Imports arrive as text files; CAP alerts as bytes (their XML declaration names the encoding). */
const TEXT_BODIES = ['text/csv', 'text/plain', 'application/geo+json'];
const XML_BODIES = ['application/cap+xml', 'application/xml', 'text/xml'];
/** Spoken-message audio: the service refuses over 20 MB with its own reason; the parser stops a little later. */
const AUDIO_BODIES = ['audio/*', 'application/octet-stream'];

/** Builds the whole service (not yet listening): used by main and by the tests alike. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const root = AppModule.forRoot(config);
  if (config.demo) root.imports!.push(DemoModule);
  const app = await NestFactory.create<NestExpressApplication>(root, {
    logger: new AppLogger(config.LOG_FORMAT, logLevelsUpTo(config.LOG_LEVEL)),
    bodyParser: false,
    abortOnError: false,
    // Open SSE streams must not hold up a graceful stop.
    forceCloseConnections: true,
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('text', { type: TEXT_BODIES, limit: '20mb' });
  app.useBodyParser('raw', { type: XML_BODIES, limit: '2mb' });
  app.useBodyParser('raw', { type: AUDIO_BODIES, limit: '21mb' });
  app.set('trust proxy', false);
  setUpDocs(app);
  return app;
}

function setUpDocs(app: INestApplication): void {
  const doc = new DocumentBuilder()
    .setTitle('sirenwatch')
    .setDescription('Control-centre API for a network of digital alarm sirens')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });
}
