import { Global, Module } from '@nestjs/common';
import { PushQueue } from './push-queue';

/** The queue every module writes its pushes to; the notifications module delivers them. */
@Global()
@Module({ providers: [PushQueue], exports: [PushQueue] })
export class PushModule {}
