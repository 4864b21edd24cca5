import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/decorators.js';
import { MinRole, type Principal } from '../auth/roles.js';
import { ZodPipe } from '../common/zod-body.js';
import { composeSchema, VoiceMessageService, type Compose } from './voice-message.service.js';
import { templateSchema, VoiceTemplates } from './voice-templates.service.js';

/** Spoken messages: operators compose and confirm; everyone with a token reads the outcomes. */
@ApiTags('voice')
@ApiBearerAuth()
@Controller('api/voice/messages')
export class VoiceMessagesController {
  constructor(@Inject(VoiceMessageService) private readonly messages: VoiceMessageService) {}

  @Post()
  @MinRole('operator')
  async compose(@Body(new ZodPipe(composeSchema)) body: Compose, @CurrentPrincipal() who: Principal) {
    const m = await this.messages.compose(body, who.username);
    return this.messages.view(m);
  }

  @Get()
  async list() {
    return Promise.all((await this.messages.list()).map((m) => this.messages.view(m)));
  }

  @Get(':id')
  async one(@Param('id') id: string) {
    return this.messages.view(await this.messages.require(id));
  }

  /** The operator's confirmation: only now do commands go out. */
  @Post(':id/send')
  @HttpCode(200)
  @MinRole('operator')
  async send(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    return this.messages.view(await this.messages.send(id, who.username));
  }
}

@ApiTags('voice')
@ApiBearerAuth()
@Controller('api/voice/templates')
export class VoiceTemplatesController {
  constructor(@Inject(VoiceTemplates) private readonly templates: VoiceTemplates) {}

  @Get()
  list() {
    return this.templates.list();
  }

  @Post()
  @MinRole('operator')
  create(@Body(new ZodPipe(templateSchema)) body: z.infer<typeof templateSchema>, @CurrentPrincipal() who: Principal) {
    return this.templates.create(body, who.username);
  }
}
