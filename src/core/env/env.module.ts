import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/** Makes the configuration built at boot injectable everywhere as `AppConfig`. */
@Global()
@Module({})
export class EnvModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EnvModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
