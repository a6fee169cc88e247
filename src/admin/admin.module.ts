import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { Broadcast } from './broadcast.entity';
import { OutboxController } from './outbox.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Broadcast])],
  controllers: [AdminController, OutboxController],
  providers: [AdminService],
})
export class AdminModule {}
