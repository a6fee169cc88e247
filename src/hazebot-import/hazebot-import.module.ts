import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportLedger } from './import-ledger.entity';

/** The table `npm run hazebot:import` keeps; the command itself runs outside the server. */
@Module({ imports: [TypeOrmModule.forFeature([ImportLedger])] })
export class HazebotImportModule {}
