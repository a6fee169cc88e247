// The processes beside the instances (redis-server, nginx) are shared with the scale benchmark.
export { installed, Nginx, RedisServer } from '../../bench/cluster';
