export { RedisChannel } from './redis-channel';
export { REDIS, RedisModule } from './redis.module';
