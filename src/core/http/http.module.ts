import {
  Global,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { ShutdownState } from './graceful-shutdown';
import { JsonBodyMiddleware } from './json-body.middleware';

@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
