export { growingLru } from './growing-lru';
