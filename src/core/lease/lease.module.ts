import { Global, Module } from '@nestjs/common';
import { SingletonLease } from './singleton-lease';

@Global()
@Module({ providers: [SingletonLease], exports: [SingletonLease] })
export class LeaseModule {}
