import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { AppLogger, logLevelsUpTo } from './common/app-logger.js';
import { routeBodyLimits } from './common/body-limit.js';
import { bodyReader } from './common/body-reader.js';
import { securityHeaders } from './common/security-headers.js';
import type { AppConfig } from './config/config.schema.js';
import { DemoModule } from './demo/demo.module.js';

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
  app.disable('x-powered-by');
  app.use(securityHeaders({ corsOrigins: config.CORS_ORIGINS, hstsMaxAgeS: config.HSTS_MAX_AGE_S }));
  app.use(bodyReader(routeBodyLimits(app.get(ModulesContainer)), config.BODY_LIMIT_KB * 1024));
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
