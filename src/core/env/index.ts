export { AppConfig, type DatabaseTarget, type PasswordUser } from './app-config';
export { EnvModule } from './env.module';
export { ConfigError, loadConfig, parseEnv, readDotEnv, type LoadedConfig } from './load-config';
