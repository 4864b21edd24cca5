import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/roles.js';

const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>sirenwatch</title>
<style>body{font:16px system-ui,sans-serif;margin:3rem;max-width:40rem;color:#1b1f24}code{background:#eef}</style></head>
<body><h1>sirenwatch 警报器监控</h1><p>The service is running. The operators' console comes here.</p>
<ul><li><a href="/api/docs">API documentation</a> (<code>/api/docs</code>)</li><li><a href="/api/health">Health</a></li></ul></body></html>`;

/** Until the console is served here, the root page says the service is up and where the API is. */
@ApiExcludeController()
@Controller()
export class PlaceholderController {
  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    return PAGE;
  }
}
