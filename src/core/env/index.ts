export { AppConfig, type DatabaseTarget, type PasswordUser } from './app-config';
export { EnvModule } from './env.module';
export {
  ConfigError,
  GENERATED_AT_FIRST_START,
  loadConfig,
  parseEnv,
  readDotEnv,
  type LoadedConfig,
} from './load-config';
