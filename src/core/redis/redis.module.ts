import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../env';

/** The shared Redis client, or null when REDIS_URL / REDIS_HOST is not set (one instance, memory only). */
export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      // ioredis is loaded only with Redis configured.
      useFactory: async (config: AppConfig): Promise<Redis | null> => {
        if (!config.redis.url) return null;
        const { default: Client } = await import('ioredis');
        return new Client(config.redis.url, {
          maxRetriesPerRequest: 3,
          enableOfflineQueue: true,
          keyPrefix: config.redis.keyPrefix,
        });
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
