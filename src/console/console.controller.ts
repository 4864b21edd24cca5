import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.js';
import { ConsoleAssets } from './console-assets.service.js';

/** Nothing but this origin: the page may load and call only what the service itself serves. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The name under which the page finds the district outlines (MAP_GEOJSON or the demo city's). */
const MAP_FILE = 'map.geojson';

/** The operators' console at `/` and its files under `/console/` (the map outlines too). Public: the data behind it is not. */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(@Inject(ConsoleAssets) private readonly assets: ConsoleAssets) {}

  @Get()
  @Public()
  index(@Res() res: Response): void {
    const html = this.assets.indexHtml();
    if (html === null) {
      res.status(503).type('text/plain').send('sirenwatch is running, but its console is not built: run `npm run build`.\n');
      return;
    }
    res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).type('html').send(html);
  }

  @Get('console/:file')
  @Public()
  file(@Param('file') name: string, @Res() res: Response): void {
    if (name === MAP_FILE) {
      const json = this.assets.mapJson();
      if (json === null) throw new NotFoundException('no district outlines: set MAP_GEOJSON or build the console');
      res.set('Cache-Control', 'no-cache').type('application/geo+json').send(json);
      return;
    }
    const path = this.assets.file(name);
    if (!path) throw new NotFoundException(`console file ${name}`);
    res.sendFile(path, { headers: { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' } });
  }
}
