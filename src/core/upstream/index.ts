export { type UpstreamHealth, UpstreamClient, type UpstreamOptions } from './upstream-client';
